/* app.js - progressive enhancement of the portal pages (searchd/portal.c).
 * Everything works without it. It adds: '/' focuses the search box; the
 * draft on the check page survives a reload or a trip to a document;
 * facet groups start folded on narrow screens. No network requests. */
(function () {
    'use strict';

    document.addEventListener('keydown', function (e) {
        var t = e.target, tag = t && t.tagName;
        if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
        if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
        var q = document.getElementById('q');
        if (!q) return;
        e.preventDefault();
        q.focus();
        q.select();
    });

    var draft = document.getElementById('text');
    if (draft) {
        var key = 'searchd.draft';
        try {
            if (!draft.value && window.sessionStorage.getItem(key)) {
                draft.value = window.sessionStorage.getItem(key);
            }
            draft.addEventListener('input', function () {
                window.sessionStorage.setItem(key, draft.value);
            });
        } catch (err) { /* storage disabled: nothing to keep */ }
    }

    if (window.matchMedia && window.matchMedia('(max-width: 760px)').matches) {
        var groups = document.querySelectorAll('details.facet');
        for (var i = 0; i < groups.length; i++) {
            if (!groups[i].querySelector('a.on')) groups[i].open = false;
        }
    }
})();
