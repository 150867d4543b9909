/** The CLI loads only the formatter it writes with (the text formatter alone needs chalk). */
import type { Format, Formatter } from './index.js';

export async function loadFormatter(format: Format): Promise<Formatter> {
  switch (format) {
    case 'text':
      return (await import('./text.js')).formatText;
    case 'json':
      return (await import('./json.js')).formatJson;
    case 'sarif':
      return (await import('./sarif.js')).formatSarif;
    case 'markdown':
      return (await import('./markdown.js')).formatMarkdown;
  }
}
