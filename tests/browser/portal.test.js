// portal.test.js - the searchd portal pages in a real browser (Debian's
// chromium driven by playwright-core), as a person would use them: search,
// highlighted results, a facet filter and its removal, paging, sorting, the
// English interface, a document page, "check a draft", a phone-sized
// screen, and the same search with JavaScript disabled. Also watches that
// the pages break no CSP rule, throw no error and load nothing from
// another origin. Plain node, no test runner; tests/e2e/browser.sh starts
// searchd and runs it.
//   env SEARCHD_URL   base URL of a running searchd (required)
//       SCREENSHOTS   directory for screenshots (default build/screenshots)
//       CHROMIUM      browser binary (default /usr/bin/chromium)
//       SEARCH_TERMS  comma-separated candidate terms (default: a built-in
//                     list; the one with the most hits is used)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const BASE = (process.env.SEARCHD_URL || '').replace(/\/+$/, '');
const SHOTS = process.env.SCREENSHOTS ||
    path.join(process.env.BUILD || 'build', 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TERMS = (process.env.SEARCH_TERMS ||
    '政府,安全,通知,信息公开,示范市,管理,public,records,law').split(',');

let passed = 0, failed = 0;
function check(cond, what) {
    if (cond) passed++;
    else { failed++; console.log('FAIL: ' + what); }
}
async function step(name, fn) {
    try {
        await fn();
    } catch (e) {
        failed++;
        console.log('FAIL: ' + name + ': ' + (e && e.message ? e.message.split('\n')[0] : e));
    }
}

// Everything a page does that it should not: CSP reports, uncaught errors,
// requests to another origin.
function watch(page, problems) {
    page.on('console', (m) => {
        if (m.type() === 'error' || /Content Security Policy/i.test(m.text()))
            problems.push('console: ' + m.text());
    });
    page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
    page.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(BASE + '/') && !u.startsWith('data:') && u !== BASE)
            problems.push('outside request: ' + u);
    });
}

async function total(page) {
    const t = await page.getAttribute('#summary', 'data-total');
    return t === null ? -1 : Number(t);
}
async function hitTitles(page) {
    return page.$$eval('.hits .hit-title', (els) => els.map((e) => e.textContent.trim()));
}
async function shot(page, name) {
    await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
}
async function api(request, url) {
    const r = await request.get(BASE + url);
    if (!r.ok()) throw new Error('GET ' + url + ': ' + r.status());
    return r.json();
}

async function main() {
    if (!BASE) {
        console.log('SEARCHD_URL is not set');
        console.log('0 passed, 1 failed');
        process.exit(1);
    }
    fs.mkdirSync(SHOTS, { recursive: true });
    // playwright refuses a --user-data-dir argument with launch(): it makes
    // a temporary profile of its own (and removes it), which is what we
    // want; TMPDIR keeps it in a directory of ours.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'searchd-browser-'));
    process.env.TMPDIR = tmp;
    const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
            '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync'],
    });
    try {
        await run(browser);
    } finally {
        await browser.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

async function run(browser) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    ctx.setDefaultTimeout(15000);
    const page = await ctx.newPage();
    const problems = [];
    watch(page, problems);

    // The term with the most hits; small pages when there are few, so that
    // paging is exercised on any corpus.
    let term = null, apiTotal = 0;
    await step('pick a term', async () => {
        for (const t of TERMS) {
            const r = await api(ctx.request, '/api/search?q=' + encodeURIComponent(t));
            if (r.total > apiTotal) { term = t; apiTotal = r.total; }
        }
        check(term !== null && apiTotal > 1, 'some candidate term has at least 2 hits');
    });
    if (!term) return;
    const size = apiTotal > 10 ? 10 : Math.max(1, Math.floor(apiTotal / 2));
    console.log('term "' + term + '": ' + apiTotal + ' hits, page size ' + size);

    let firstTotal = -1, firstTitles = [];
    await step('front page and search', async () => {
        await page.goto(BASE + '/');
        check(await page.getAttribute('html', 'lang') === 'zh-CN', 'front page is zh-CN');
        check(await page.isVisible('label[for="q"]') || await page.$('label[for="q"]') !== null,
            'search box has a label');
        check(await page.$('link[rel="search"][type="application/opensearchdescription+xml"]') !== null,
            'opensearch link');
        await shot(page, 'front');
        await page.fill('#q', term);
        await Promise.all([page.waitForNavigation(), page.press('#q', 'Enter')]);
        if (size !== 10) {
            await page.goto(page.url() + '&size=' + size);
        }
        check(page.url().includes('q=' + encodeURIComponent(term)), 'URL carries the query');
        firstTotal = await total(page);
        check(firstTotal === apiTotal, 'page total ' + firstTotal + ' = API total ' + apiTotal);
        firstTitles = await hitTitles(page);
        check(firstTitles.length === Math.min(size, apiTotal), 'a full first page of hits');
        check(await page.locator('.hits mark').count() > 0, 'matches are highlighted with <mark>');
        check(await page.locator('.hits .meta').count() > 0, 'hits show metadata');
        const took = await page.textContent('#summary');
        check(/毫秒/.test(took), 'summary shows the time taken');
        await shot(page, 'results');
    });
    const resultsUrl = page.url();

    await step('facet filter', async () => {
        await page.goto(resultsUrl);
        let link = null;
        for (const kind of ['category', 'unit', 'year']) {
            link = await page.$('a[data-facet="' + kind + '"]:not(.on)');
            if (link) break;
        }
        check(link !== null, 'a facet link is shown');
        if (!link) return;
        const value = (await link.$eval('.fv', (e) => e.textContent)).trim();
        const count = Number((await link.$eval('.fc', (e) => e.textContent)).replace(/,/g, ''));
        await Promise.all([page.waitForNavigation(), link.click()]);
        const t = await total(page);
        check(t <= firstTotal && t > 0, 'filtered total ' + t + ' <= ' + firstTotal);
        check(t === count, 'filtered total ' + t + ' = facet count ' + count);
        const chip = page.locator('.active-filters .chip', { hasText: value });
        check(await chip.count() === 1, 'active filter "' + value + '" is shown');
        check(await page.$('a[data-facet].on') !== null, 'the facet value is marked active');
        await shot(page, 'facet');
        await Promise.all([page.waitForNavigation(), chip.first().click()]);
        check(await total(page) === firstTotal, 'removing the filter restores the total');
        check(await page.locator('.active-filters').count() === 0, 'no active filter left');
    });

    await step('paging', async () => {
        await page.goto(resultsUrl);
        const next = await page.$('.pager a[rel="next"]');
        check(next !== null, 'a next-page link');
        if (!next) return;
        await Promise.all([page.waitForNavigation(), next.click()]);
        check(/[?&]page=2(&|$)/.test(page.url()), 'URL has page=2');
        check((await page.textContent('.pager .cur')).trim() === '2', 'page 2 is current');
        check(await page.getAttribute('ol.hits', 'start') === String(size + 1), 'numbering continues');
        const titles = await hitTitles(page);
        check(titles.length > 0, 'page 2 has hits');
        check(await total(page) === firstTotal, 'same total on page 2');
        check(await page.$('.pager a[rel="prev"]') !== null, 'a previous-page link');
        await shot(page, 'page2');
    });

    await step('sort by date', async () => {
        await page.goto(resultsUrl);
        await Promise.all([page.waitForNavigation(), page.click('.sort a[data-sort="date"]')]);
        check(/[?&]sort=date(&|$)/.test(page.url()), 'URL has sort=date');
        const dates = await page.$$eval('.hits time', (els) => els.map((e) => e.getAttribute('datetime')));
        let sorted = true;
        for (let i = 1; i < dates.length; i++) if (dates[i] > dates[i - 1]) sorted = false;
        check(sorted, 'newest first: ' + dates.join(' '));
        check(await total(page) === firstTotal, 'sorting keeps the total');
    });

    await step('words no document holds together', async () => {
        // the term plus a word no document has: the documents with the
        // term, and a sentence saying the query was relaxed
        const q = term + ' qqzzxxvvnone';
        await page.goto(BASE + '/?q=' + encodeURIComponent(q));
        check(await page.isVisible('#relaxed'), 'the relaxed-query notice is shown');
        check(await total(page) === firstTotal, 'the documents holding the term: ' + firstTotal);
        check((await hitTitles(page)).length > 0, 'hits are listed');
        await shot(page, 'relaxed');
    });

    await step('English interface', async () => {
        await page.goto(resultsUrl);
        await Promise.all([page.waitForNavigation(), page.click('#lang-switch')]);
        check(await page.getAttribute('html', 'lang') === 'en', 'html lang is en');
        check(/result/.test(await page.textContent('#summary')), 'English summary');
        check(await total(page) === firstTotal, 'same total in English');
        const hrefs = await page.$$eval('a[href^="/"]', (els) => els.map((e) => e.getAttribute('href')));
        const site = hrefs.filter((h) => !h.startsWith('/assets/') && !h.startsWith('/api/'));
        const lost = site.filter((h) => !/[?&]ui=en(&|$)/.test(h));
        check(lost.length === 1, 'every link but the switch keeps ui=en (' + lost.join(' ') + ')');
        const facet = await page.$('a[data-facet]:not(.on)');
        if (facet) {
            await Promise.all([page.waitForNavigation(), facet.click()]);
            check(await page.getAttribute('html', 'lang') === 'en', 'still English after a facet');
        }
        await shot(page, 'english');
    });

    let docId = null;
    await step('document page', async () => {
        await page.goto(resultsUrl);
        const link = await page.$('.hits .hit-title a');
        await Promise.all([page.waitForNavigation(), link.click()]);
        check(new URL(page.url()).pathname.startsWith('/doc/'), 'a /doc/ page');
        docId = decodeURIComponent(new URL(page.url()).pathname.slice(5));
        const doc = await api(ctx.request, '/api/doc/' +
            docId.split('/').map(encodeURIComponent).join('/'));
        check((await page.textContent('article h1')).trim() === (doc.title || '').trim() || !doc.title,
            'the page shows the document title');
        check(await page.locator('.doc-text p').count() > 0, 'the text is shown in paragraphs');
        // opened from the results: the query's matches are marked, and the
        // note's link goes to the first one
        const marks = page.locator('.doc-text mark');
        check(await marks.count() > 0, 'the query is marked in the text');
        check(await page.$('.doc-text mark#m1') !== null, 'the first mark is #m1');
        const go = page.locator('.hits-note a[href="#m1"]');
        check(await go.count() === 1, 'a link to the first match');
        if (await go.count() === 1) {
            await go.click();
            check(page.url().endsWith('#m1'), 'following it goes to #m1');
            check(await page.locator('mark#m1').isVisible(), 'the first match is in view');
        }
        await shot(page, 'document');
    });

    await step('check a draft', async () => {
        check(docId !== null, 'a known document to check');
        if (!docId) return;
        const doc = await api(ctx.request, '/api/doc/' +
            docId.split('/').map(encodeURIComponent).join('/'));
        const text = (doc.text || '').slice(0, 4000);
        check(text.length > 20, 'the known document has text');
        await page.goto(BASE + '/check');
        check(await page.$('form[method="post"][action^="/check"] textarea#text') !== null, 'the form');
        await page.fill('#text', text);
        await Promise.all([page.waitForNavigation(), page.click('form.check button[type="submit"]')]);
        const first = page.locator('.sim-hit').first();
        check(await first.count() === 1, 'results are listed');
        const href = await first.locator('.hit-title a').getAttribute('href');
        const topId = decodeURIComponent(href.replace(/^\/doc\//, '').replace(/\?.*$/, ''));
        const sim = Number(await first.locator('.pct').getAttribute('data-similarity'));
        check(topId === docId || sim >= 0.9, 'the document itself comes first (' + topId + ')');
        check(sim >= 0.9, 'with high similarity (' + sim + ')');
        check(await page.$('#verdict.v-pub') !== null, 'verdict: already published');
        check(/已发布/.test(await page.textContent('#verdict')), 'verdict says 已发布');
        const passage = first.locator('.passage mark');
        check(await passage.count() === 1 && (await passage.textContent()).length > 20,
            'the text in common is shown, marked');
        check((await page.inputValue('#text')).length > 0, 'the draft stays in the textarea');
        await shot(page, 'check');
        // the English form stays English after the post
        await page.goto(BASE + '/check?ui=en');
        await page.fill('#text', text);
        await Promise.all([page.waitForNavigation(), page.click('form.check button[type="submit"]')]);
        check(await page.getAttribute('html', 'lang') === 'en', 'English check page stays English');
        check(/already published/i.test(await page.textContent('#verdict')),
            'English verdict says already published');
    });

    await step('phone screen', async () => {
        const phone = await browser.newContext({ viewport: { width: 390, height: 844 },
            deviceScaleFactor: 2, isMobile: true, hasTouch: true });
        const p = await phone.newPage();
        watch(p, problems);
        await p.goto(resultsUrl);
        const sw = await p.evaluate(() => document.documentElement.scrollWidth);
        check(sw <= 392, 'no sideways scrolling on a phone (' + sw + 'px)');
        check(await p.locator('.hits .hit').count() > 0, 'hits on a phone');
        await shot(p, 'phone');
        await p.goto(BASE + '/check');
        const sw2 = await p.evaluate(() => document.documentElement.scrollWidth);
        check(sw2 <= 392, 'check page fits a phone (' + sw2 + 'px)');
        await phone.close();
    });

    await step('no JavaScript', async () => {
        const nojs = await browser.newContext({ javaScriptEnabled: false,
            viewport: { width: 1280, height: 900 } });
        nojs.setDefaultTimeout(15000);
        const p = await nojs.newPage();
        watch(p, problems);
        await p.goto(BASE + '/');
        await p.fill('#q', term);
        await Promise.all([p.waitForNavigation(), p.click('form.search button[type="submit"]')]);
        check(await total(p) === apiTotal, 'search works without JavaScript');
        check(await p.locator('.hits .hit').count() > 0, 'hits without JavaScript');
        const facet = await p.$('a[data-facet]:not(.on)');
        if (facet) {
            await Promise.all([p.waitForNavigation(), facet.click()]);
            check(await p.locator('.active-filters .chip').count() === 1, 'facet works without JavaScript');
        }
        await shot(p, 'nojs');
        await nojs.close();
    });

    await step('no CSP violation, error or outside request', async () => {
        check(problems.length === 0, 'clean pages: ' + problems.slice(0, 5).join(' | '));
    });
    await ctx.close();
}

main().catch((e) => {
    failed++;
    console.log('FAIL: ' + (e && e.stack ? e.stack.split('\n').slice(0, 3).join(' ') : e));
}).finally(() => {
    console.log(passed + ' passed, ' + failed + ' failed');
    process.exitCode = failed ? 1 : 0;
});
