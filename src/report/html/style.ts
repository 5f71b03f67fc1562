/** The report's stylesheet, inlined (and allowed by hash in the page's CSP). No style attributes anywhere. */
export const STYLE = `
:root{--fg:#1d232b;--muted:#5d6875;--bg:#f6f7f9;--card:#fff;--line:#dde1e6;
--verified:#1f8f4e;--failing:#c8322e;--blocked:#c77700;--error:#8a4fbf;--invalid:#b0306e;--skipped:#7a828c;
--pre:#4a6fd1;--test:#7b4cc4;--clean:#1d8a8a;--fallback:#fff1c2;
--day:#1f8f4e;--week:#6cbf6a;--month:#e3c13b;--older:#e0782f;--never:#a7adb5}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1280px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:22px;margin:0 0 8px}
h2{font-size:16px;margin:0 0 10px}
h4{margin:14px 0 6px;font-size:14px}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:14px 0}
.facts{display:flex;flex-wrap:wrap;gap:6px 28px;margin:0}
.facts dt{color:var(--muted);font-size:12px}
.facts dd{margin:0;font-weight:600}
.banner{background:#fde8e7;border:1px solid var(--failing);padding:6px 10px;border-radius:6px}
.totals{display:flex;flex-wrap:wrap;gap:10px}
.vcard{flex:1 1 150px;border-radius:8px;padding:10px 14px;color:#fff}
.vcard .count{font-size:28px;font-weight:700;display:block}
.v-verified.vcard,.badge.v-verified{background:var(--verified)}
.v-failing.vcard,.badge.v-failing{background:var(--failing)}
.v-blocked.vcard,.badge.v-blocked{background:var(--blocked)}
.v-error.vcard,.badge.v-error{background:var(--error)}
.v-invalid.vcard,.badge.v-invalid{background:var(--invalid)}
.v-skipped.vcard,.badge.v-skipped{background:var(--skipped)}
.badge{color:#fff;border-radius:10px;padding:1px 8px;font-size:12px;white-space:nowrap}
.fallback{background:var(--fallback);border-radius:4px;padding:0 4px}
.note{margin:8px 0 0}
.groups{display:flex;flex-wrap:wrap;gap:14px;margin-top:12px}
.groups>div{flex:1 1 420px;overflow-x:auto}
table.grid{border-collapse:collapse;width:100%}
.grid th,.grid td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
.grid thead th{font-size:12px;color:var(--muted);font-weight:600}
.n{text-align:right!important;font-variant-numeric:tabular-nums}
td.zero{color:#c2c7cd}
td.total{font-weight:700}
td.n.v-failing:not(.zero){color:var(--failing);font-weight:700}
td.n.v-blocked:not(.zero){color:var(--blocked);font-weight:700}
td.n.v-error:not(.zero){color:var(--error);font-weight:700}
td.n.v-invalid:not(.zero){color:var(--invalid);font-weight:700}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;margin:6px 0}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.b-day{fill:var(--day);background:var(--day)}.b-week{fill:var(--week);background:var(--week)}
.b-month{fill:var(--month);background:var(--month)}.b-older{fill:var(--older);background:var(--older)}
.b-never{fill:var(--never);background:var(--never)}
.fresh-chart{max-width:100%;height:auto;display:block}
.fresh-chart text{font-size:12px;fill:var(--fg)}
.fresh-chart .seg-count{fill:#fff;font-weight:600}
.fresh-all .fresh-label{font-weight:700}
.fresh-facts{margin:0 0 4px}
.fresh-numbers{margin-top:8px}
.controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:10px}
.controls input{flex:1 1 260px;padding:6px 8px;border:1px solid var(--line);border-radius:6px;font:inherit}
.controls button{border:1px solid var(--line);background:#fff;border-radius:14px;padding:3px 10px;font:inherit;cursor:pointer}
.controls button[aria-pressed="false"]{opacity:.45;text-decoration:line-through}
#spec-count{color:var(--muted)}
#specs{border-collapse:collapse;width:100%}
#specs th,#specs td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
#specs th button{all:unset;cursor:pointer;font-size:12px;color:var(--muted);font-weight:600}
#specs th[aria-sort="ascending"] button::after{content:" \\25B2"}
#specs th[aria-sort="descending"] button::after{content:" \\25BC"}
tr.spec-row{cursor:pointer}
tr.spec-row:hover{background:#f0f3f7}
tr.spec-row.open{background:#eef2fb}
.toggle{all:unset;cursor:pointer;width:1em;display:inline-block;color:var(--muted)}
td.file{color:var(--muted);word-break:break-all}
td.endpoint{font-weight:600;word-break:break-all}
tr.detail>td{background:#fafbfc;padding:10px 16px 16px}
.reason{font-weight:600;color:var(--failing);margin:0 0 8px}
.waterfall{display:grid;grid-template-columns:minmax(120px,220px) 1fr 70px;gap:3px 8px;align-items:center;margin:4px 0 10px}
.wf-label{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-size:12px}
.wf-track{position:relative;height:14px;background:#eceff3;border-radius:3px}
.wf-bar{position:absolute;top:0;bottom:0;min-width:2px;border-radius:3px}
.wf-time{font-size:12px;text-align:right;color:var(--muted)}
.ph-prerequisites{background:var(--pre)}.ph-test{background:var(--test)}.ph-cleanup{background:var(--clean)}
.wf-bar.o-failed{outline:2px solid var(--failing);outline-offset:1px}
.wf-bar.o-skipped{opacity:.3}
.step{border-left:4px solid var(--line);padding:4px 0 4px 12px;margin:12px 0}
.step.o-failed{border-left-color:var(--failing)}
.step.o-passed{border-left-color:var(--verified)}
.step h5{margin:0 0 4px;font-size:13px}
.phase{font-size:11px;color:#fff;border-radius:3px;padding:0 5px;margin-right:6px}
.request{margin:2px 0;word-break:break-all}
.meta{color:var(--muted);font-size:12px;margin:2px 0}
.error{color:var(--failing);font-weight:600;margin:4px 0}
.sub{font-size:12px;color:var(--muted);margin:8px 0 2px;font-weight:600}
tr.fail td{background:#fdeeee}
td.result-fail{color:var(--failing);font-weight:700}
td.result-pass{color:var(--verified)}
pre.snippet{background:#f0f2f5;border:1px solid var(--line);border-radius:4px;padding:6px 8px;white-space:pre-wrap;word-break:break-all;margin:4px 0;max-height:220px;overflow:auto}
.empty{color:var(--muted);text-align:center;padding:16px}
footer{max-width:1280px;margin:0 auto;padding:10px 20px 30px;color:var(--muted);font-size:12px}
`;
