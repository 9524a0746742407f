"""How a report is rendered: HTML with Jinja (`html`), PDF with WeasyPrint (`pdf`, imported only
for PDFs), the only way rendering reaches a file (`fetcher`) and the files it embeds (`assets`)."""
