namespace ValueLedger.Api.Features.Reports;

/// <summary>The report's one style sheet, inline so that the page (and its PDF) needs no other file.</summary>
public static class ReportStyles
{
    public const string Css = """
        :root { color: #14213d; font: 10.5pt/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        body { margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
        h1 { font-size: 22pt; margin: 0 0 2mm; } h2 { font-size: 14pt; margin: 8mm 0 2mm; border-bottom: 1px solid #c9d2e3; padding-bottom: 1mm; }
        h3 { font-size: 11pt; margin: 5mm 0 1.5mm; }
        .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 8.5pt; color: #0f766e; margin: 0; }
        .subtle { color: #52607a; }
        .headline { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; margin: 6mm 0; }
        .figure { border: 1px solid #c9d2e3; border-radius: 2mm; padding: 3mm; break-inside: avoid; }
        .figure .label { display: block; font-size: 8.5pt; color: #52607a; }
        .figure .value { display: block; font-size: 14pt; font-weight: 700; }
        table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 1mm 0 2mm; }
        th, td { text-align: left; padding: 1mm 1.5mm; border-bottom: 1px solid #e3e8f1; vertical-align: top; }
        th { background: #eef2f8; font-weight: 600; }
        tr { break-inside: avoid; }
        tr.on-behalf td { color: #7a5b00; }
        .commitment { break-before: page; }
        figure { margin: 2mm 0; break-inside: avoid; } figcaption { font-size: 8.5pt; color: #52607a; }
        svg .plot { fill: #fafbfd; stroke: #c9d2e3; }
        svg .baseline { stroke: #8a94a6; stroke-width: 1; }
        svg .target { stroke: #0f766e; stroke-width: 1; }
        svg .path { fill: none; stroke: #52607a; stroke-width: 1.2; stroke-dasharray: 4 3; }
        svg .measured { fill: none; stroke: #1d4ed8; stroke-width: 2; }
        .verification { break-before: page; }
        .hashes dt { font-weight: 600; margin-top: 2mm; } .hashes dd { margin: 0; font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; overflow-wrap: anywhere; }
        code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; }
        @media screen { body { padding: 8mm; } }
        """;
}
