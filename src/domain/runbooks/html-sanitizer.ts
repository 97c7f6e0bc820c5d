/**
 * The one allow-list every piece of user-written markdown goes through after
 * marked: runbooks (from the repository) and incident notes (from anyone signed in).
 * Nothing executable survives: no script/style/iframe/object/embed/form, no event
 * handler or style attribute, and URLs only with http(s) or mailto schemes (images:
 * http(s) only; no data: anywhere). sanitize-html decodes entities before checking
 * schemes, so `jav&#x09;ascript:` is caught too.
 */
import sanitizeHtml from 'sanitize-html';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

const NOTE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...HEADINGS,
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'kbd',
    'em',
    'strong',
    'del',
    's',
    'sup',
    'sub',
    'a',
    'img',
    'ul',
    'ol',
    'li',
    'input',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'details',
    'summary',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title'],
    code: ['class'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
    input: ['type', 'checked', 'disabled'],
  },
  allowedClasses: { code: ['language-*'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (_tagName, attribs) => ({
      tagName: 'a',
      attribs: {
        ...(attribs.href !== undefined && { href: attribs.href }),
        ...(attribs.title !== undefined && { title: attribs.title }),
        rel: 'noopener noreferrer',
        // Off-site links open beside the notebook instead of replacing it mid-incident.
        ...(/^https?:/i.test(attribs.href ?? '') && { target: '_blank' }),
      },
    }),
    // The only input markdown makes is a task checkbox; any other input becomes an inert one.
    input: (_tagName, attribs) => ({
      tagName: 'input',
      attribs: {
        type: 'checkbox',
        disabled: '',
        ...(attribs.checked !== undefined && { checked: '' }),
        ...(attribs['data-step-id'] !== undefined && { 'data-step-id': attribs['data-step-id'] }),
      },
    }),
  },
};

/**
 * Runbooks additionally keep the hooks the notebook mounts on: cell placeholders,
 * step ids on checkboxes, and heading anchors. Notes do not get them, so a note
 * cannot pose as a runbook cell or step.
 */
const RUNBOOK_OPTIONS: sanitizeHtml.IOptions = {
  ...NOTE_OPTIONS,
  allowedTags: [...(NOTE_OPTIONS.allowedTags as string[]), 'div'],
  allowedAttributes: {
    ...NOTE_OPTIONS.allowedAttributes,
    ...Object.fromEntries(HEADINGS.map((h) => [h, ['id']])),
    div: ['class', 'data-cell-id'],
    input: ['type', 'checked', 'disabled', 'data-step-id'],
  },
  allowedClasses: { ...NOTE_OPTIONS.allowedClasses, div: ['ab-cell'] },
};

export function sanitizeNoteHtml(html: string): string {
  return sanitizeHtml(html, NOTE_OPTIONS);
}

export function sanitizeRunbookHtml(html: string): string {
  return sanitizeHtml(html, RUNBOOK_OPTIONS);
}
