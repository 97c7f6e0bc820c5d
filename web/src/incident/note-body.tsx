import { ServerHtml } from '../components/server-html.js';

/**
 * A note. With the server's sanitized rendering it shows as markdown;
 * otherwise as the text that was written, never parsed as HTML here.
 */
export function NoteBody({ text, html }: { text: string; html: string | null }) {
  if (html !== null) return <ServerHtml class="note-body markdown" html={html} />;
  return <p class="note-body note-text">{text}</p>;
}
