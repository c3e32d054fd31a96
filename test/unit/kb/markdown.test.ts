/**
 * Article bodies are rendered safely (shared/kb-markdown.ts): whatever a writer (or a pulled change)
 * puts in the Markdown, no script, event handler or script link reaches the page.
 */
import { describe, expect, it } from 'vitest';
import { articleExcerpt, articlePlainText, renderArticleHtml } from '../../../electron/shared/kb-markdown';

/** Attributes and tags that could run code, looked for in the HTML's tags (text that merely reads "onerror" is harmless). */
function dangerous(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.match(/<[^>]+>/g) ?? []) {
    if (/^<\/?(script|iframe|object|embed|style|img|svg|math|form|input|link|meta)\b/i.test(tag)) found.push(tag);
    if (/\son[a-z]+\s*=/i.test(tag)) found.push(tag);
    if (/(href|src)\s*=\s*["']?\s*(javascript|vbscript|data|file):/i.test(tag)) found.push(tag);
  }
  return found;
}

describe('safe rendering', () => {
  const attacks = [
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">clic</a>',
    '[clic](javascript:alert(1))',
    '[clic](JaVaScRiPt:alert(1))',
    '[clic](  javascript:alert(1))',
    '[clic](java&#x09;script:alert(1))',
    '[clic](vbscript:msgbox(1))',
    '[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[clic](file:///etc/passwd)',
    '![foto](javascript:alert(1))',
    '![foto](https://rastreo.example.com/pixel.png)',
    '<iframe src="https://example.com"></iframe>',
    '<svg onload=alert(1)>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '[a]: javascript:alert(1)\n\n[clic][a]',
    '<details open ontoggle=alert(1)>',
  ];
  for (const attack of attacks) {
    it(`neutralizes ${JSON.stringify(attack)}`, () => {
      const html = renderArticleHtml(`Texto antes.\n\n${attack}\n\nTexto después.`);
      expect(dangerous(html)).toEqual([]);
      expect(html).toContain('Texto después.');
    });
  }

  it('keeps what an article needs: headings, lists, emphasis, tables, code and safe links that open apart', () => {
    const html = renderArticleHtml([
      '# Título', '## Sección', '', '- uno', '- **dos**', '', '1. primero', '', '| A | B |', '|---|---|', '| 1 | 2 |', '',
      'Vea [el SAT](https://www.sat.gob.mx) o escriba a soporte@example.mx y `XAXX010101000`.',
    ].join('\n'));
    expect(html).toContain('<h2>Título</h2>');
    expect(html).toContain('<h2>Sección</h2>');
    expect(html).toContain('<strong>dos</strong>');
    expect(html).toContain('<table>');
    expect(html).toContain('<code>XAXX010101000</code>');
    expect(html).toContain('<a href="https://www.sat.gob.mx" rel="noopener noreferrer nofollow" target="_blank">el SAT</a>');
    expect(html).toContain('href="mailto:soporte@example.mx"');
  });

  it('shows an image as a link to it instead of loading it', () => {
    const html = renderArticleHtml('![Captura del error](https://example.com/error.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('<a href="https://example.com/error.png"');
    expect(html).toContain('Captura del error');
  });
});

describe('plain text for a reply', () => {
  it('drops the marks, keeps lines and lists, and writes links as text (address)', () => {
    const text = articlePlainText([
      '## Qué hacer', '', 'Revise **su** constancia.', '', '- Uno', '- Dos con [enlace](https://example.com/ayuda)', '', '1. Primero', '2. Segundo', '',
      'Fin: https://example.com',
    ].join('\n'));
    expect(text).toBe([
      'Qué hacer', '', 'Revise su constancia.', '', '- Uno', '- Dos con enlace (https://example.com/ayuda)', '', '1. Primero', '2. Segundo', '',
      'Fin: https://example.com',
    ].join('\n'));
  });

  it('a table reads row by row, cells apart', () => {
    expect(articlePlainText('| Motivo | Uso |\n|---|---|\n| **01** | Con relación |\n| 02 | Sin relación |')).toBe(
      'Motivo | Uso\n01 | Con relación\n02 | Sin relación',
    );
  });

  it('an excerpt is cut at a word', () => {
    expect(articleExcerpt('palabra '.repeat(50), 30)).toBe('palabra palabra palabra…');
  });
});
