// Progressive enhancement shared by every console page (the pages work without it):
// - the error summary takes focus, so a screen reader announces the problems at once;
// - a submit button is disabled while its form is sent, so a double click posts once.
const summary = document.querySelector('.error-summary')
if (summary) summary.focus()
for (const form of document.querySelectorAll('form[method="post"]')) {
  form.addEventListener('submit', () => {
    for (const b of form.querySelectorAll('button[type="submit"]')) setTimeout(() => { b.disabled = true }, 0)
  })
}
