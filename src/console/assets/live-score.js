// Live score (progressive enhancement): as the school types, the form's fields are posted to the
// preview route (nothing is saved) and the score panel is replaced by the answer. Without this
// script the panel shows the score of the last save.
const form = document.getElementById('assessment-form')
const panel = document.getElementById('score-panel')
if (form && panel && form.dataset.preview) {
  let timer = null
  let seq = 0
  const refresh = async () => {
    const mine = ++seq
    try {
      const res = await fetch(form.dataset.preview, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(new FormData(form)),
        credentials: 'same-origin',
      })
      if (!res.ok || mine !== seq) return
      const text = await res.text()
      if (mine !== seq) return
      const tpl = document.createElement('template')
      tpl.innerHTML = text
      panel.replaceChildren(tpl.content)
      panel.dataset.seq = String(mine)
    } catch {
      // Offline or refused: the panel keeps the last score shown.
    }
  }
  const schedule = () => { clearTimeout(timer); timer = setTimeout(refresh, 400) }
  form.addEventListener('input', schedule)
  form.addEventListener('change', schedule)
}
