import { AppError } from '../errors.js';
import type { Toolset } from '../mcp/tool.js';
import { parseToolsets, TOOLSET_NAMES, TOOLSETS, UnknownToolsetError, type ToolsetInfo } from '../mcp/toolsets.js';
import { html, type SafeHtml } from '../http/html.js';

/**
 * The tool-set checkboxes of the consent page, the account page and the token form: one per set
 * with its title and summary, core shown ticked and fixed. Plain form controls (no script), so
 * they work with the keyboard and without JavaScript; `idPrefix` keeps ids unique on a page with
 * several such forms.
 */
export function toolsetFieldset(opts: { chosen: readonly string[]; idPrefix: string; legend?: string }): SafeHtml {
  const box = (t: ToolsetInfo) => {
    const id = `${opts.idPrefix}-${t.name}`;
    const fixed = t.name === 'core';
    const checked = fixed || opts.chosen.includes(t.name);
    return html`<div class="toolset"><input type="checkbox" id="${id}" name="toolsets" value="${t.name}"${checked ? html` checked` : ''}${fixed ? html` disabled` : ''}>
      <label for="${id}"><strong>${t.title}</strong>${fixed ? ' (always on)' : ''}: <span class="muted">${t.summary}</span></label></div>`;
  };
  return html`<fieldset class="plain toolsets"><legend>${opts.legend ?? 'Tool sets'}</legend>
    <p class="muted">Fewer tools leave the assistant more room for your conversation; turn a set on when you need it.</p>
    ${TOOLSETS.map(box)}</fieldset>`;
}

/**
 * The tool sets ticked in a form (the PAT form, the consent page, /account): checkbox values
 * arrive as one string or a list. An unknown name is refused with the list of real ones.
 */
export function parseToolsetChoice(raw: unknown): Toolset[] {
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw];
  if (values.some((v) => typeof v !== 'string'))
    throw new AppError('toolset_unknown', `Tool sets can only be ${TOOLSET_NAMES.join(', ')}.`);
  try {
    return parseToolsets(values as string[]);
  } catch (err) {
    if (err instanceof UnknownToolsetError) throw new AppError(err.code, err.message);
    throw err;
  }
}
