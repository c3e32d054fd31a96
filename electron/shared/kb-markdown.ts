/**
 * Article bodies are Markdown. Turned into HTML in two safe steps: markdown-it with raw HTML off
 * (an HTML tag in the text stays text) and its link check (javascript:, vbscript:, file: and data:
 * links are not made), then sanitize-html with a short allowlist of tags, attributes and URL
 * schemes, so nothing that can run code or reach out reaches the page whatever the input. Also the
 * body as plain text, for a reply to the customer. Shared by core and the central server (the
 * portal); too heavy for the renderer, which asks core (kb.preview).
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

// Images would load from anywhere (tracking, mixed content): shown as a link to the picture instead.
md.renderer.rules.image = (tokens, idx, _options, _env, self) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet('src') ?? '');
  const alt = String(self.renderInlineAsText(token.children ?? [], _options, _env) || src);
  return `<a href="${md.utils.escapeHtml(src)}">${md.utils.escapeHtml(alt)}</a>`;
};

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'strong', 'em', 's', 'del', 'code', 'pre', 'blockquote', 'hr',
    'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // An article's own headings sit under the screen's title.
    h1: 'h2', h5: 'h4', h6: 'h4',
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' },
    }),
  },
};

/** The body as HTML that is safe to put in a page as it is. */
export function renderArticleHtml(markdown: string): string {
  return sanitizeHtml(md.render(markdown), SANITIZE);
}

/**
 * The body as plain text for a reply: paragraphs and list items on their own lines, a link as
 * "text (address)", no Markdown marks.
 */
export function articlePlainText(markdown: string): string {
  const out: string[] = [];
  const lists: Array<{ ordered: boolean; n: number }> = [];
  for (const token of md.parse(markdown, {})) {
    switch (token.type) {
      case 'bullet_list_open':
        lists.push({ ordered: false, n: 0 });
        break;
      case 'ordered_list_open':
        lists.push({ ordered: true, n: Number(token.attrGet('start') ?? 1) - 1 });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        if (lists.length === 0) out.push('\n');
        break;
      case 'list_item_open': {
        const list = lists.at(-1);
        const indent = '  '.repeat(Math.max(0, lists.length - 1));
        if (list) list.n++;
        out.push(indent + (list?.ordered ? `${list.n}. ` : '- '));
        break;
      }
      case 'inline':
        out.push(inlineText(token.children ?? []));
        break;
      case 'paragraph_close':
        out.push(lists.length > 0 ? '\n' : '\n\n');
        break;
      case 'heading_close':
        out.push('\n\n');
        break;
      case 'fence':
      case 'code_block':
        out.push(token.content, '\n');
        break;
      case 'hr':
        out.push('\n');
        break;
      case 'th_close':
      case 'td_close':
        out.push(' | ');
        break;
      case 'tr_close':
        out.push('\n');
        break;
      default:
        break;
    }
  }
  // A table row reads "a | b | c" on its own line (an e-mail has no columns).
  return out.join('').replace(/ \| \n/g, '\n').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

type InlineToken = ReturnType<typeof md.parseInline>[number];

function inlineText(tokens: InlineToken[]): string {
  let text = '';
  let link: { href: string; start: number } | null = null;
  for (const t of tokens) {
    if (t.type === 'text' || t.type === 'code_inline') text += t.content;
    else if (t.type === 'softbreak' || t.type === 'hardbreak') text += '\n';
    else if (t.type === 'image') text += t.content || (t.attrGet('src') ?? '');
    else if (t.type === 'link_open') link = { href: String(t.attrGet('href') ?? ''), start: text.length };
    else if (t.type === 'link_close' && link) {
      const label = text.slice(link.start);
      const href = link.href.replace(/^mailto:/, '');
      if (href && label !== href) text += ` (${href})`;
      link = null;
    }
  }
  return text;
}

/** The first characters of the plain text, cut at a word. */
export function articleExcerpt(plain: string, max = 180): string {
  const flat = plain.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
