/* wall.js: the battle map on a screen. Reads the gateway's JSON API (/api/wall, /api/ranking,
   /api/alerts, /api/report/timeliness, /api/clock), draws with ECharts (SVG, so the text is
   in the page), and follows /api/events (Server-Sent Events): each event refreshes the views
   it touches. Query: ?period=YYYY-MM (else the server's month, followed as it moves),
   ?kiosk=1 (a 1920x1080 stage scaled to the screen, screens rotating every ?rotate=20 s),
   ?district=, ?indicator= (the ranking's indicator). */
'use strict';

const query = new URLSearchParams(location.search);
const kiosk = query.get('kiosk') === '1';
const rotateSeconds = Math.max(5, Number(query.get('rotate')) || 20);

const STATUS = {
  on_track: { label: '正常', color: '#2e9d57' },
  at_risk: { label: '预警', color: '#f0a020' },
  lagging: { label: '滞后', color: '#d9363e' },
  not_reported: { label: '未报送', color: '#6b7280' },
  no_milestone: { label: '无节点', color: '#34445e' },
  partial: { label: '未齐', color: '#3b7dd8' },
  no_baseline: { label: '无基期', color: '#7a5cc4' },
  no_target: { label: '无目标', color: '#1c2638' },
};
const STATUS_KEYS = Object.keys(STATUS);
const RULES = { lagging: '滞后', trajectory: '预计完不成', report_due: '催报',
                report_overdue: '逾期未报', bottom_rank: '后位预警', text_overdue: '节点逾期' };
const SEVERITIES = { critical: '严重', warning: '预警', info: '提示' };
const KINDS = { forecast: '预报', final: '终报' };

const state = {
  district: query.get('district') || '',
  period: query.get('period') || '',   // the month shown
  follow: !query.get('period'),        // follow the server's month
  walls: {},                           // period -> WallReply
  dirty: new Set(),                    // periods to read again
  timer: null,
  loading: false,
  failed: false,                       // the last load failed
  streamDown: '',                      // why the gateway cannot follow the server
};

const charts = {};
function chart(id) {
  if (!charts[id]) {
    charts[id] = echarts.init(document.getElementById(id), null, { renderer: 'svg' });
  }
  return charts[id];
}

// --- talking to the gateway ------------------------------------------------------------

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

async function api(path, params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== '') search.set(key, value);
  }
  const response = await fetch(`${path}?${search}`, { cache: 'no-store' });
  let body = null;
  try { body = await response.json(); } catch (error) { body = null; }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

function banner(text) {
  const element = document.getElementById('banner');
  element.textContent = text;
  element.hidden = !text;
}

function explain(error) {
  if (!(error instanceof ApiError)) return `无法连接大屏网关（${error.message}），正在重试。`;
  const code = error.body.code;
  if (code === 'server_unreachable') return `无法连接服务器：${error.message}`;
  if (code === 'key_refused') return `服务器拒绝了大屏的密钥：${error.message}`;
  if (code === 'server_refused') return `服务器拒绝请求（${error.body.server_code}）：${error.message}`;
  return `请求出错（HTTP ${error.status}）：${error.message}`;
}

function showProblems() {
  const parts = [];
  if (state.failed) parts.push(state.failed);
  if (state.streamDown) parts.push(`实时更新中断：${state.streamDown}`);
  if (parts.length) parts.push('页面显示的是最后一次取得的数据，恢复后自动刷新。');
  banner(parts.join(' '));
}

// --- the month shown -------------------------------------------------------------------

function monthsOf(period) {
  const [year, month] = period.split('-').map(Number);
  const months = [];
  for (let m = 1; m <= month; m++) months.push(`${year}-${String(m).padStart(2, '0')}`);
  return months;
}

function previousMonth(period) {
  let [year, month] = period.split('-').map(Number);
  month -= 1;
  if (month === 0) { year -= 1; month = 12; }
  return `${year}-${String(month).padStart(2, '0')}`;
}

// The server's month, or the latest month before it that has a plan (after the simulated
// year the server's clock stands in the next January)
async function choosePeriod() {
  if (!state.follow) return state.period;
  const clock = await api('/api/clock');
  let period = clock.period;
  for (const candidate of [period, previousMonth(period), `${Number(period.slice(0, 4)) - 1}-12`]) {
    try {
      state.walls[candidate] = await api('/api/wall', { district: state.district, period: candidate });
      return candidate;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
    }
  }
  throw new ApiError(404, { error: `服务器的当前月份 ${period} 不在计划之内；请在地址后加 ?period=2023-06 指定月份` });
}

function fillPeriodSelect() {
  const select = document.getElementById('period');
  const year = state.period.slice(0, 4);
  select.innerHTML = '';
  for (let m = 1; m <= 12; m++) {
    const value = `${year}-${String(m).padStart(2, '0')}`;
    const option = new Option(`${year}年${m}月`, value, false, value === state.period);
    select.add(option);
  }
  document.getElementById('follow').hidden = !state.follow;
}

// --- loading -------------------------------------------------------------------------

async function load(full) {
  if (state.loading) { schedule(); return; }
  state.loading = true;
  try {
    if (!state.district) state.district = (await api('/api/status')).district;
    const before = state.period;
    state.period = await choosePeriod();
    if (full || before !== state.period) state.walls = { [state.period]: state.walls[state.period] };
    const wanted = monthsOf(state.period).filter((p) => full || !state.walls[p] || state.dirty.has(p) || p === state.period);
    state.dirty.clear();
    const walls = await Promise.all(wanted.map((period) =>
      api('/api/wall', { district: state.district, period }).catch((error) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      })));
    wanted.forEach((period, index) => { if (walls[index]) state.walls[period] = walls[index]; });
    const wall = state.walls[state.period];
    const indicator = query.get('indicator') || rankedIndicator(wall);
    const [ranking, alerts, timeliness] = await Promise.all([
      indicator ? api('/api/ranking', { district: state.district, period: state.period, indicator }) : null,
      api('/api/alerts', { district: state.district }),
      api('/api/report/timeliness', { district: state.district, period: state.period }),
    ]);
    fillPeriodSelect();
    drawTitle(wall);
    drawGrid();
    drawBullets(wall);
    drawRanking(ranking);
    drawAlerts(alerts);
    drawOwed(timeliness);
    state.failed = false;
    document.body.dataset.ready = '1';
    document.body.dataset.loads = String(Number(document.body.dataset.loads || 0) + 1);
  } catch (error) {
    state.failed = explain(error);
  } finally {
    state.loading = false;
    showProblems();
  }
}

function schedule(delay) {
  clearTimeout(state.timer);
  state.timer = setTimeout(() => load(false), delay === undefined ? 150 : delay);
}

// The first measure that units report (a district sum), for the ranking
function rankedIndicator(wall) {
  for (const task of (wall && wall.tasks) || []) {
    for (const measure of task.measures) {
      if (measure.units_expected > 0 && !measure.beside) return measure.indicator || task.indicator;
    }
  }
  return '';
}

// --- drawing -------------------------------------------------------------------------

function taskName(task) {
  return task.level ? `${task.level}${task.seq} ${task.title}` : task.title;
}

function taskStatus(task) {
  if (task.measures.length > 1 && task.overall_status) return task.overall_status;
  return task.measures.length ? task.measures[0].status : 'no_target';
}

function drawTitle(wall) {
  const name = wall ? wall.district_name : state.district;
  document.getElementById('title').textContent = `${name} 挂图作战 ${state.period}`;
  document.title = `${name} 挂图作战`;
  const stamp = wall && (wall.snapshot_at || wall.as_of);
  document.getElementById('updated').textContent = `最后更新 ${stamp ? stamp.replace('T', ' ').slice(0, 19) : '—'}`;
}

function drawGrid() {
  const months = monthsOf(state.period);
  const current = state.walls[state.period];
  const tasks = current ? current.tasks : [];
  const names = tasks.map(taskName);
  const data = [];
  months.forEach((period, x) => {
    const wall = state.walls[period];
    tasks.forEach((task, y) => {
      const same = wall && wall.tasks.find((t) => t.title === task.title && t.seq === task.seq);
      const status = same ? taskStatus(same) : 'not_reported';
      const measure = same && same.measures[0];
      const rate = same && same.measures.length > 1 && same.overall_rate ? same.overall_rate
                 : measure && measure.vs_milestone;
      data.push({ value: [x, y, STATUS_KEYS.indexOf(status)],
                  label: rate ? `${rate}%` : STATUS[status].label, status, task: same, period });
    });
  });
  const height = Math.max(300, tasks.length * 34 + 110);
  if (!kiosk) document.getElementById('grid').style.height = `${height}px`;
  chart('grid').resize();
  chart('grid').setOption({
    animation: false,
    tooltip: { formatter: (p) => gridTip(p.data) },
    grid: { left: kiosk ? 560 : 420, right: 10, top: 10, bottom: 70 },
    xAxis: { type: 'category', data: months.map((p) => `${Number(p.slice(5))}月`),
             axisLabel: { color: '#b9c7dc', fontSize: kiosk ? 18 : 13 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: names, inverse: true,
             axisLabel: { color: '#e6edf7', fontSize: kiosk ? 18 : 13, width: kiosk ? 540 : 400,
                          overflow: 'truncate' } },
    visualMap: { type: 'piecewise', dimension: 2, orient: 'horizontal', left: 'center', bottom: 0,
                 textStyle: { color: '#e6edf7', fontSize: kiosk ? 18 : 13 },
                 pieces: STATUS_KEYS.map((key, index) => ({ value: index, label: STATUS[key].label,
                                                             color: STATUS[key].color })) },
    series: [{ type: 'heatmap', data: data.map((d) => ({ ...d, label: undefined, name: d.label })),
               label: { show: true, color: '#fff', fontSize: kiosk ? 16 : 12,
                        formatter: (p) => p.data.name },
               itemStyle: { borderColor: '#0b1526', borderWidth: 2 } }],
  }, true);
}

function gridTip(cell) {
  if (!cell.task) return `${cell.period} 无数据`;
  const lines = [`<b>${taskName(cell.task)}</b>`, `${cell.period}：${STATUS[cell.status].label}`];
  for (const m of cell.task.measures) {
    lines.push(`${m.measure || m.indicator_name || ''} 累计 ${m.actual || '—'}${m.unit_of_measure || ''}` +
               `（节点 ${m.milestone || m.expected || '—'}，完成 ${m.vs_milestone || '—'}%）`);
  }
  return lines.join('<br>');
}

function number(text) {
  const value = parseFloat(text);
  return Number.isFinite(value) ? value : null;
}

function drawBullets(wall) {
  const rows = [];
  for (const task of (wall && wall.tasks) || []) {
    for (const m of task.measures) {
      const target = number(m.annual_target);
      if (!target) continue;
      const actual = number(m.actual);
      const milestone = number(m.milestone || m.expected);
      const label = `${task.level}${task.seq}${m.measure ? ' ' + m.measure : ''}${m.beside ? ' ' + m.indicator_name : ''}`;
      rows.push({ label, target, actual, milestone, m,
                  rate: actual === null ? 0 : Math.min(150, (actual / target) * 100),
                  mark: milestone === null ? null : Math.min(150, (milestone / target) * 100) });
    }
  }
  const size = kiosk ? 18 : 13;
  if (!kiosk) document.getElementById('bullets').style.height = `${Math.max(300, rows.length * 34 + 60)}px`;
  chart('bullets').resize();
  chart('bullets').setOption({
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' },
               formatter: (items) => bulletTip(rows[items[0].dataIndex]) },
    grid: { left: kiosk ? 240 : 170, right: kiosk ? 260 : 200, top: 10, bottom: 30 },
    xAxis: { type: 'value', max: 120, axisLabel: { formatter: '{value}%', color: '#b9c7dc', fontSize: size },
             splitLine: { lineStyle: { color: '#1f3b66' } } },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.label),
             axisLabel: { color: '#e6edf7', fontSize: size, width: kiosk ? 230 : 160, overflow: 'truncate' } },
    series: [
      { name: '年度目标', type: 'bar', barWidth: kiosk ? 30 : 18, barGap: '-100%', silent: true,
        itemStyle: { color: 'rgba(156,195,255,0.15)' }, data: rows.map(() => 100),
        label: { show: true, position: 'right', color: '#fff', fontSize: size,
                 formatter: (p) => bulletLabel(rows[p.dataIndex]) } },
      { name: '累计完成', type: 'bar', barWidth: kiosk ? 30 : 18, barGap: '-100%',
        data: rows.map((r) => ({ value: r.rate, itemStyle: { color: (STATUS[r.m.status] || STATUS.no_target).color } })) },
      { name: '本月节点', type: 'scatter', symbol: 'rect', symbolSize: [4, kiosk ? 34 : 22],
        itemStyle: { color: '#ffd35c' }, data: rows.map((r) => r.mark) },
    ],
  }, true);
}

function bulletLabel(row) {
  const m = row.m;
  const actual = m.actual ? `${m.actual}${m.actual_is_forecast ? '*' : ''}` : '未报';
  return `${actual} / ${m.annual_target}${m.unit_of_measure || ''}`;
}

function bulletTip(row) {
  const m = row.m;
  return [`<b>${row.label}</b>`, `累计完成 ${m.actual || '—'}${m.unit_of_measure || ''}${m.actual_is_forecast ? '（预报）' : ''}`,
          `本月节点 ${m.milestone || m.expected || '—'}，完成 ${m.vs_milestone || '—'}%`,
          `年度目标 ${m.annual_target}，完成 ${m.vs_annual || '—'}%`,
          `状态 ${(STATUS[m.status] || STATUS.no_target).label}`].join('<br>');
}

function drawRanking(ranking) {
  const title = document.getElementById('ranking-title');
  const rows = ranking ? ranking.rows : [];
  title.textContent = ranking ? `${ranking.title} 单位排名（后${ranking.bottom}名预警）` : '单位排名';
  const size = kiosk ? 18 : 13;
  if (!kiosk) document.getElementById('ranking').style.height = `${Math.max(300, rows.length * 28 + 60)}px`;
  chart('ranking').resize();
  chart('ranking').setOption({
    animation: false,
    grid: { left: kiosk ? 220 : 150, right: 90, top: 10, bottom: 30 },
    xAxis: { type: 'value', axisLabel: { formatter: '{value}%', color: '#b9c7dc', fontSize: size },
             splitLine: { lineStyle: { color: '#1f3b66' } } },
    yAxis: { type: 'category', inverse: true,
             data: rows.map((r) => `${r.rank ? r.rank : '—'} ${r.unit}`),
             axisLabel: { color: '#e6edf7', fontSize: size } },
    series: [{ type: 'bar', barWidth: kiosk ? 20 : 14,
               data: rows.map((r) => ({ value: number(r.rate) || 0,
                 itemStyle: { color: !r.rank ? '#6b7280' : r.warned ? '#d9363e' : '#3b7dd8' } })),
               label: { show: true, position: 'right', color: '#e6edf7', fontSize: size,
                        formatter: (p) => rankLabel(rows[p.dataIndex]) } }],
  }, true);
}

function rankLabel(row) {
  if (!row.rank) return '未报送';
  return `${row.rate}%${row.warned ? ' 后位预警' : ''}`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
}

function drawAlerts(reply) {
  const alerts = (reply && reply.alerts) || [];
  const counts = {};
  for (const alert of alerts) {
    const key = alert.rule;
    counts[key] = counts[key] || { total: 0, critical: 0, warning: 0, info: 0 };
    counts[key].total += 1;
    counts[key][alert.severity] = (counts[key][alert.severity] || 0) + 1;
  }
  let html = `<table class="digest"><tr><th>类别</th><th>合计</th>` +
             Object.values(SEVERITIES).map((s) => `<th>${s}</th>`).join('') + '</tr>';
  for (const [rule, count] of Object.entries(counts)) {
    html += `<tr><td>${escapeHtml(RULES[rule] || rule)}</td><td class="n">${count.total}</td>` +
            Object.keys(SEVERITIES).map((s) => `<td class="n ${s}">${count[s] || 0}</td>`).join('') + '</tr>';
  }
  html += `<tr><th>全部</th><th class="n">${alerts.length}</th><th></th><th></th><th></th></tr></table>`;
  const shown = alerts.slice().sort((a, b) => (b.period || '').localeCompare(a.period || '')).slice(0, kiosk ? 14 : 10);
  html += '<ul class="alerts">' + (shown.length ? shown.map((a) =>
    `<li><span class="${a.severity}">[${SEVERITIES[a.severity] || a.severity}·${RULES[a.rule] || a.rule}]</span> ` +
    `${escapeHtml(a.period)} ${escapeHtml(a.unit)} ${escapeHtml(a.message || a.indicator_name || '')}</li>`).join('')
    : '<li class="empty">没有正在触发的预警</li>') + '</ul>';
  document.getElementById('alerts').innerHTML = html;
}

function drawOwed(report) {
  document.getElementById('owed-title').textContent = `${state.period} 尚未报送的单位`;
  const rows = ((report && report.timeliness) || []).filter((r) => r.missing > 0);
  const byUnit = new Map();
  for (const row of rows) {
    const parts = byUnit.get(row.unit) || [];
    parts.push(`${KINDS[row.kind] || row.kind}缺 ${row.missing}/${row.expected} 项`);
    byUnit.set(row.unit, parts);
  }
  const deadlines = report ? `预报截止 ${report.forecast_deadline}，终报截止 ${report.final_deadline}` : '';
  const items = [...byUnit.entries()].map(([unit, parts]) =>
    `<li><b>${escapeHtml(unit)}</b>${escapeHtml(parts.join('，'))}</li>`);
  document.getElementById('owed').innerHTML = `<div class="empty">${escapeHtml(deadlines)}</div>` +
    `<ul class="owed">${items.length ? items.join('') : '<li class="empty">各单位均已报送</li>'}</ul>`;
}

// --- live updates --------------------------------------------------------------------

// An indicator's Chinese name, from the walls already fetched (events carry codes)
function indicatorName(code) {
  for (const wall of Object.values(state.walls)) {
    for (const task of (wall && wall.tasks) || []) {
      if (task.indicator === code && task.indicator_name) return task.indicator_name;
      for (const m of task.measures || []) if (m.indicator === code && m.indicator_name) return m.indicator_name;
    }
  }
  return code;
}

function describe(event) {
  if (event.figure) {
    const f = event.figure;
    return `${f.unit} ${indicatorName(f.indicator)}${f.measure ? '/' + f.measure : ''} ${f.period} ` +
           `${KINDS[f.kind] || f.kind} ${f.value || f.status}${f.late ? '（迟报）' : ''}`;
  }
  if (event.alert && event.alert.alert) {
    const a = event.alert.alert;
    const action = { fired: '触发', updated: '更新', resolved: '解除' }[event.alert.action] || event.alert.action;
    return `预警${action}：${a.unit} ${a.message || RULES[a.rule] || a.rule}`;
  }
  if (event.cycle) {
    const c = event.cycle;
    return c.what === 'snapshot' ? `${c.period} 挂图已按终报截止冻结`
                                 : `${c.period} ${KINDS[c.kind] || c.kind}报送截止（${c.deadline}）`;
  }
  if (event.notice) return `通知 ${event.notice.unit}：${event.notice.message}`;
  return null;
}

function periodOf(event) {
  const payload = event.completion || event.figure || event.cycle || event.notice ||
                  (event.alert && event.alert.alert);
  return payload ? payload.period : '';
}

function addTicker(text, at) {
  const list = document.getElementById('ticker');
  const empty = list.querySelector('.empty');
  if (empty) empty.remove();
  const item = document.createElement('li');
  item.className = 'fresh';
  item.innerHTML = `<span class="at">${escapeHtml((at || '').replace('T', ' ').slice(5, 19))}</span>${escapeHtml(text)}`;
  list.prepend(item);
  while (list.children.length > (kiosk ? 18 : 14)) list.lastChild.remove();
}

function follow() {
  const source = new EventSource('/api/events');
  const live = document.getElementById('live');
  source.onopen = () => { live.classList.remove('off'); load(true); };
  source.onerror = () => {
    live.classList.add('off');
    state.streamDown = '与大屏网关的连接中断，正在重连…';
    showProblems();
  };
  source.addEventListener('status', (message) => {
    const status = JSON.parse(message.data);
    const was = state.streamDown;
    state.streamDown = status.connected ? '' : (status.reason || '服务器无响应');
    live.classList.toggle('off', !status.connected);
    showProblems();
    if (was && status.connected) schedule(0);
  });
  source.addEventListener('reset', () => load(true));
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    const text = describe(event);
    if (text) addTicker(text, event.at);
    const period = periodOf(event);
    if (period) state.dirty.add(period);
    if (event.cycle && state.follow) state.dirty.add(state.period);
    schedule();
  };
}

// --- kiosk: a 16:9 stage scaled to the screen, screens in turn ---------------------------

function fitStage() {
  const stage = document.getElementById('stage');
  const scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
  stage.style.transform = `scale(${scale})`;
  stage.style.left = `${(window.innerWidth - 1920 * scale) / 2}px`;
  stage.style.top = `${(window.innerHeight - 1080 * scale) / 2}px`;
}

function rotate() {
  const screens = [...document.querySelectorAll('.screen')];
  let current = 0;
  const show = () => {
    screens.forEach((screen, index) => screen.classList.toggle('active', index === current));
    document.getElementById('pager').textContent = `${current + 1} / ${screens.length}`;
  };
  show();
  setInterval(() => { current = (current + 1) % screens.length; show(); }, rotateSeconds * 1000);
}

function start() {
  if (typeof echarts === 'undefined') {
    banner('图表库 ECharts 没有加载（echarts.min.js 缺失）：请先构建项目（cmake --build build，需要 npm）。');
    return;
  }
  if (kiosk) {
    document.body.classList.add('kiosk');
    fitStage();
    window.addEventListener('resize', fitStage);
    rotate();
  } else {
    window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  }
  document.getElementById('period').addEventListener('change', (event) => {
    state.period = event.target.value;
    state.follow = false;
    history.replaceState(null, '', `?${new URLSearchParams({ ...Object.fromEntries(query), period: state.period })}`);
    load(true);
  });
  follow();
}

start();
