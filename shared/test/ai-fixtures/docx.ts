/** A minimal DOCX, zipped with fflate: a title, headings, a bullet list, a numbered list and a table. */
import { strToU8, zipSync } from "fflate";
import { escapeHtml as esc } from "../../src/html";

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const run = (text: string) => `<w:r><w:t xml:space="preserve">${esc(text)}</w:t></w:r>`;
const p = (text: string, style?: string) => `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ""}${run(text)}</w:p>`;
const item = (text: string, numId: number) => `<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="${numId}"/></w:numPr></w:pPr>${run(text)}</w:p>`;
const row = (cells: string[]) => `<w:tr>${cells.map((c) => `<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>${p(c)}</w:tc>`).join("")}</w:tr>`;

const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document ${W}><w:body>
${p("Clinic Booking Platform", "Title")}
${p("Goals", "Heading1")}
${p("Patients book & manage appointments online.")}
${item("Online booking", 1)}${item("Email reminders", 1)}${item("Staff calendar", 1)}
${p("Milestones", "Heading2")}
${item("Design", 2)}${item("Build", 2)}${item("Launch", 2)}
${p("Budget", "Heading2")}
<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>${row(["Item", "Cost"])}${row(["Design", "3,000 EUR"])}${row(["Build", "9,000 EUR"])}</w:tbl>
${p("Questions welcome.")}
<w:sectPr/></w:body></w:document>`;

const numbering = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering ${W}>
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>`;

const core = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Clinic booking brief</dc:title><dc:creator>Grace Hopper</dc:creator>
<dcterms:created xsi:type="dcterms:W3CDTF">2025-02-03T09:00:00Z</dcterms:created></cp:coreProperties>`;

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>`;

const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>`;

const documentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
</Relationships>`;

/** The markdown a faithful reader produces from it. */
export const DOCX_MARKDOWN = `# Clinic Booking Platform

# Goals

Patients book & manage appointments online.

- Online booking
- Email reminders
- Staff calendar

## Milestones

1. Design
2. Build
3. Launch

## Budget

| Item | Cost |
| --- | --- |
| Design | 3,000 EUR |
| Build | 9,000 EUR |

Questions welcome.`;

export function writeDocx(): Uint8Array {
  return zipSync({
    "[Content_Types].xml": strToU8(contentTypes),
    "_rels/.rels": strToU8(rels),
    "word/document.xml": strToU8(document),
    "word/_rels/document.xml.rels": strToU8(documentRels),
    "word/numbering.xml": strToU8(numbering),
    "docProps/core.xml": strToU8(core),
  });
}
