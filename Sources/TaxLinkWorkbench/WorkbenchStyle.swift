/// The one style sheet of the workbench, inline in every page (the CSP allows inline styles, no
/// other requests). Below 700 px the tables marked `cards` become one card per row, and nothing is
/// wider than the screen.
enum WorkbenchStyle {
    static let css = """
        *{box-sizing:border-box}
        body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;overflow-wrap:anywhere}
        header.top{display:flex;flex-wrap:wrap;gap:.4em 1em;align-items:center;background:#1f3a60;color:#fff;padding:.5em 1em}
        header.top a,header.top button{color:#fff}header.top .brand{font-weight:600;text-decoration:none}
        header.top nav{display:flex;flex-wrap:wrap;gap:.8em}header.top form{display:inline-flex;gap:.3em;align-items:center;margin:0}
        header.top button{background:none;border:1px solid #fff;border-radius:4px;cursor:pointer}
        header.top input{max-width:12em}.who{margin-left:auto}
        main{padding:1em;max-width:100%}
        h1{font-size:1.5em;margin:0 0 .5em}h2{font-size:1.1em;margin:.8em 0 .4em}
        form.filters{display:flex;flex-wrap:wrap;gap:.5em;align-items:end;background:#f2f4f8;padding:.6em;border-radius:6px}
        form.filters label,label.stack{display:flex;flex-direction:column;font-size:.85em}
        input,select,button,textarea{font:inherit;padding:.2em .4em;max-width:100%}
        table{border-collapse:collapse;margin:.4em 0;max-width:100%}
        th,td{border-bottom:1px solid #dde2ea;padding:.25em .5em;text-align:left;vertical-align:top}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        .totals{display:flex;flex-wrap:wrap;gap:1em 2em}.totals>div{min-width:0;max-width:100%}
        .scroll{overflow-x:auto;max-width:100%}
        svg.chart{width:100%;max-width:720px;height:auto;display:block}
        .sev-critical{color:#fff;background:#b3261e;border-radius:3px;padding:0 .3em}
        .sev-warning{background:#f6c343;border-radius:3px;padding:0 .3em}.sev-info{color:#555}
        details{font-size:.9em}code{font-size:.85em;word-break:break-all}.error{color:#b3261e}
        .notice{background:#fff4d6;border-left:4px solid #f6c343;padding:.4em .8em;margin:.6em 0}
        .done{background:#e4f4e6;border-left:4px solid #2e7d32;padding:.4em .8em;margin:.6em 0}
        td.diff{background:#fde2e0;font-weight:600}tr.current{background:#eef4ff}ul.lines{margin:0;padding-left:1.1em}
        .pager{display:flex;flex-wrap:wrap;gap:.3em .8em;margin:.6em 0}.pager [aria-current]{font-weight:700}
        .links{margin:.6em 0;display:flex;flex-wrap:wrap;gap:.4em 1em}
        dl.amounts{margin:0;display:grid;grid-template-columns:auto auto;gap:0 .5em}dl.amounts dd{margin:0}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        fieldset.bulk{border:1px solid #dde2ea;border-radius:6px;display:flex;flex-wrap:wrap;gap:.5em;align-items:end}
        @media (max-width:700px){
        table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
        table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        table.cards tr{border:1px solid #dde2ea;border-radius:6px;margin:0 0 .6em;padding:.3em}
        table.cards td{border:0;padding:.15em .3em;text-align:left}
        table.cards td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
        main{padding:.5em}
        }
        """
}
