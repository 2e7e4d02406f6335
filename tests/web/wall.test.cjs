/* The web wall in a real browser: Debian's chromium, headless, driven by playwright-core.
   Run by tests/integration/test_web.c against a real battlemapd and `battlemap serve`.

   Environment: WALL_URL (the gateway, ending in /), BM_CLI (JSON array: the battlemap
   command with an administrator's key, to submit), BM_WEB_MODULES (node_modules holding
   playwright-core), CHROMIUM (the browser), SHOTS (folder for screenshots), MODE: "live"
   (the API, the page, a figure pushed within a second) or "down" (the server is gone:
   the page says so in Chinese). Prints "N passed, N failed"; exits 1 on any failure. */
'use strict';

const path = require('path');
const { spawnSync } = require('child_process');
const { chromium } = require(path.join(process.env.BM_WEB_MODULES, 'playwright-core'));

const base = process.env.WALL_URL;
const cli = JSON.parse(process.env.BM_CLI || '[]');
const shots = process.env.SHOTS || '.';
const mode = process.env.MODE || 'live';
let passed = 0;
let failed = 0;

function check(ok, what, detail) {
  if (ok) { passed += 1; console.log(`ok - ${what}`); return; }
  failed += 1;
  console.log(`not ok - ${what}${detail ? ': ' + detail : ''}`);
}

async function get(url) {
  const response = await fetch(base + url);
  let body = null;
  try { body = await response.json(); } catch (error) { body = null; }
  return { status: response.status, body };
}

// --- the JSON API ------------------------------------------------------------------------

async function testApi() {
  const status = await get('api/status');
  check(status.status === 200 && status.body.district === 'qingpu', 'GET /api/status', JSON.stringify(status.body));
  const wall = await get('api/wall?period=2023-06');
  check(wall.status === 200 && wall.body.district_name === '青浦区' && wall.body.tasks.length >= 14,
        'GET /api/wall: the Qingpu wall with its 14 tasks', `${wall.status} ${JSON.stringify(wall.body).slice(0, 200)}`);
  const unit = await get(`api/wall?period=2023-06&unit=${encodeURIComponent('赵巷镇')}`);
  check(unit.status === 200 && unit.body.unit === '赵巷镇', "GET /api/wall?unit=: a unit's wall", String(unit.status));
  const ranking = await get('api/ranking?period=2023-06&indicator=industrial-output');
  check(ranking.status === 200 && ranking.body.rows.length >= 8 && ranking.body.bottom === 5,
        'GET /api/ranking', String(ranking.status));
  const alerts = await get('api/alerts');
  check(alerts.status === 200 && Array.isArray(alerts.body.alerts), 'GET /api/alerts', String(alerts.status));
  const timeliness = await get('api/report/timeliness?period=2023-06');
  check(timeliness.status === 200 && timeliness.body.timeliness.length > 0, 'GET /api/report/timeliness',
        String(timeliness.status));
  const accuracy = await get('api/report/forecast-accuracy?period=2023-06');
  check(accuracy.status === 200 && accuracy.body.kind === 'forecast_accuracy', 'GET /api/report/forecast-accuracy',
        JSON.stringify(accuracy.body).slice(0, 200));
  const history = await get(`api/history?period=2023-06&unit=${encodeURIComponent('赵巷镇')}&indicator=industrial-output`);
  check(history.status === 200 && Array.isArray(history.body.entries), 'GET /api/history', String(history.status));
  const clock = await get('api/clock');
  check(clock.status === 200 && /^\d{4}-\d{2}$/.test(clock.body.period), 'GET /api/clock', JSON.stringify(clock.body));

  const month = await get('api/wall?period=2023-13');
  check(month.status === 400 && month.body.code === 'bad_parameter' && month.body.parameter === 'period'
        && /period/.test(month.body.error), 'a bad month is refused 400 naming the parameter', JSON.stringify(month.body));
  const unknown = await get('api/wall?perod=2023-06');
  check(unknown.status === 400 && unknown.body.parameter === 'perod', 'an unknown parameter is refused 400',
        JSON.stringify(unknown.body));
  const neither = await get('api/ranking?period=2023-06');
  check(neither.status === 400 && neither.body.parameter === 'indicator', 'a ranking of nothing is refused 400',
        JSON.stringify(neither.body));
  const nobody = await get(`api/wall?period=2023-06&unit=${encodeURIComponent('不存在镇')}`);
  check(nobody.status === 404 && nobody.body.code === 'server_refused', "an unknown unit is the server's 404",
        JSON.stringify(nobody.body));
  return wall.body;
}

// --- the page ----------------------------------------------------------------------------

const COLOURS = ['#2e9d57', '#f0a020', '#d9363e', '#3b7dd8', 'rgb(46,157,87)', 'rgb(240,160,32)',
                 'rgb(217,54,62)', 'rgb(59,125,216)'];

async function testPage(browser, wall) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${base}?period=2023-06`);
  await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 20000 });
  const title = await page.textContent('#title');
  check(title.includes('青浦区') && title.includes('2023-06'), 'the page shows the Qingpu wall of June', title);
  const gridText = await page.$$eval('#grid text', (nodes) => nodes.map((n) => n.textContent).join('\n'));
  const missing = wall.tasks.filter((t) => !gridText.includes(`${t.level}${t.seq} ${t.title.slice(0, 6)}`));
  check(missing.length === 0, "every task of the plan is a row of the grid", missing.map((t) => t.title).join('; '));
  const fills = await page.$$eval('#grid path', (nodes) => nodes.map((n) => (n.getAttribute('fill') || '').replace(/\s/g, '').toLowerCase()));
  const coloured = fills.filter((fill) => COLOURS.includes(fill)).length;
  check(coloured >= 6, `grid cells are coloured by status (${coloured} judged cells)`, fills.slice(0, 20).join(' '));
  check((await page.textContent('#updated')).startsWith('最后更新 2'), 'the page says when it was last updated');
  check((await page.$$('#ranking text')).length > 8, 'the ranking of the units is drawn');
  check((await page.textContent('#alerts')).includes('合计'), 'the alert digest is shown');
  check((await page.textContent('#owed-title')).includes('尚未报送'), 'the units that owe a report are listed');

  //  A figure through the command line, on the page within a second (pushed by SSE)
  const started = Date.now();
  const run = spawnSync(cli[0], [...cli.slice(1), 'submit', '--district', 'qingpu', '--unit', '徐泾镇',
                        '--indicator', 'industrial-output', '--period', '2023-06', '--kind', 'final',
                        '--value', '77.7', '--confirm'], { encoding: 'utf8' });
  const accepted = Date.now();
  check(run.status === 0, 'the figure is accepted', run.stderr);
  let shown = -1;
  try {
    await page.waitForFunction(() => document.getElementById('ticker').textContent.includes('77.7'),
                               null, { timeout: 1000, polling: 20 });
    shown = Date.now() - accepted;
  } catch (error) { shown = -1; }
  check(shown >= 0 && shown <= 1000, `the figure is on the page ${shown} ms after its receipt (submit took ${accepted - started} ms)`);
  const ticker = await page.textContent('#ticker');
  check(ticker.includes('规模以上工业总产值') && ticker.includes('终报'),
        'the live feed names the indicator and the kind in Chinese', ticker.slice(0, 200));
  const after = await get('api/wall?period=2023-06');
  const actual = after.body.tasks[0].measures[0].actual;
  let redrawn = -1;
  try {
    await page.waitForFunction((value) => [...document.querySelectorAll('#bullets text')]
      .some((n) => n.textContent.startsWith(value) && n.textContent.includes(' / ')), actual, { timeout: 5000, polling: 20 });
    redrawn = Date.now() - accepted;
  } catch (error) { redrawn = -1; }
  //  The redraw asks the server for the month's walls again: bounded
  //  loosely, so that a loaded machine does not fail it (the figure itself
  //  must be on the page within the second, above)
  check(redrawn >= 0 && redrawn <= 5000, `the district's bullet bar shows the new total ${actual} after ${redrawn} ms`);
  await page.screenshot({ path: path.join(shots, 'wall.png'), fullPage: true });
  check(errors.length === 0, 'no script error on the page', errors.join('; '));
  await page.close();

  const kiosk = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await kiosk.goto(`${base}?kiosk=1&period=2023-06&rotate=5`);
  await kiosk.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 20000 });
  const transform = await kiosk.$eval('#stage', (stage) => stage.style.transform);
  check(transform === 'scale(0.666667)' || transform.startsWith('scale(0.666'), 'kiosk: 1920x1080 scaled to a 1280x720 screen', transform);
  const active = await kiosk.$$eval('.screen.active', (nodes) => nodes.map((n) => n.dataset.screen));
  check(active.length === 1 && active[0] === '0', 'kiosk: one screen at a time', active.join(','));
  await kiosk.screenshot({ path: path.join(shots, 'wall-kiosk.png') });
  await kiosk.waitForFunction(() => document.querySelector('.screen.active').dataset.screen === '1',
                              null, { timeout: 7000 }).then(() => check(true, 'kiosk: the screens rotate'),
                              () => check(false, 'kiosk: the screens rotate'));
  await kiosk.close();
}

// The server is gone: the page says so, in Chinese
async function testDown(browser) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`${base}?period=2023-06`);
  let text = '';
  try {
    await page.waitForFunction(() => !document.getElementById('banner').hidden, null, { timeout: 15000 });
    text = await page.textContent('#banner');
  } catch (error) { text = ''; }
  //  Its port may have been taken by another server meanwhile: then the handshake fails
  check(/无法连接服务器|服务器拒绝了大屏的密钥|实时更新中断/.test(text) && text.includes('最后一次取得的数据'),
        'without the server the page says so in Chinese', text);
  await page.screenshot({ path: path.join(shots, 'wall-down.png') });
  await page.close();
}

async function main() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
                                          args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    if (mode === 'down') {
      await testDown(browser);
    } else {
      const wall = await testApi();
      await testPage(browser, wall);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => { failed += 1; console.log(`not ok - ${error.stack}`); })
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
