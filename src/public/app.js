// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/nhsuk/nhsuk-frontend.min.js';

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');
initAll();

// Reply links open the reply form under the comment instead of a new page.
for (const link of document.querySelectorAll('[data-reply-to]')) {
  link.addEventListener('click', (event) => {
    const form = document.getElementById('add-comment');
    const parentField = document.getElementById('parentId');
    const replyingTo = document.getElementById('replying-to');
    if (!form || !parentField) return;
    event.preventDefault();
    parentField.value = link.getAttribute('data-reply-to');
    if (replyingTo) {
      replyingTo.textContent = `You are replying to ${link.getAttribute('data-reply-name')}.`;
      replyingTo.hidden = false;
    }
    link.closest('li, article').after(form);
    document.getElementById('name')?.focus();
  });
}

// Live progress on pages that offer it (e.g. a newsletter being sent), refreshing a region.
const live = document.querySelector('[data-refresh-seconds]');
if (live) {
  const seconds = Number(live.getAttribute('data-refresh-seconds')) || 5;
  setInterval(async () => {
    const res = await fetch(window.location.href, { headers: { accept: 'text/html' } });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const fresh = doc.querySelector('[data-refresh-seconds]');
    if (fresh) live.innerHTML = fresh.innerHTML;
  }, seconds * 1000);
}
