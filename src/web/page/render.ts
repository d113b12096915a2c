import { byId, el } from './dom.js';
import { rows } from './model.js';
import {
  existingRow,
  forget,
  grouped,
  paint,
  paintStats,
  paintUptime,
  rowFor,
  visible,
  type View,
} from './table.js';

// Draws the table from the model: group bodies in order, rows moved rather than rebuilt, so a
// change repaints only what changed. Filters, sorting and whole refreshes go through render();
// single-row changes through repaint().

const groupBodies = new Map<string, HTMLTableSectionElement>();

const groupBody = (group: string, operator: boolean): HTMLTableSectionElement => {
  let body = groupBodies.get(group);
  if (body === undefined) {
    const head = el('th', { colspan: '10', scope: 'rowgroup', class: 'group' }, group);
    if (operator) {
      for (const action of ['start', 'stop', 'restart']) {
        head.append(
          ' ',
          el(
            'button',
            {
              type: 'button',
              'data-action': action,
              'data-target': `${group}:*`,
              'aria-label': `${action} group ${group}`,
            },
            action,
          ),
        );
      }
    }
    body = el('tbody', { 'data-group': group }, el('tr', { class: 'group-row' }, head));
    groupBodies.set(group, body);
  }
  return body;
};

export const render = (view: View): void => {
  const table = byId('processes');
  const groups = grouped(view);
  for (const [group, body] of groupBodies) {
    if (!groups.has(group)) {
      body.remove();
      if (![...rows.values()].some((r) => r.info.group === group)) groupBodies.delete(group);
    }
  }
  for (const [group, list] of groups) {
    const body = groupBody(group, view.operator);
    const trs = list.map((row) => {
      const tr = rowFor(`${row.info.group}:${row.info.name}`, view.operator);
      paint(tr, row);
      return tr;
    });
    body.replaceChildren(body.firstElementChild ?? el('tr'), ...trs);
    table.append(body);
  }
};

/** One row changed: repaint it in place, or re-render when it moves in or out of the view. */
export const repaint = (view: View, key: string): void => {
  const row = rows.get(key);
  if (row === undefined) {
    forget(key);
    return;
  }
  const tr = rowFor(key, view.operator);
  const shown = tr.isConnected;
  if (shown !== visible(view, row) || view.sort === 'state') render(view);
  else if (shown) paint(tr, row);
};

export const repaintStats = (key: string): void => {
  const row = rows.get(key);
  const tr = existingRow(key);
  if (row !== undefined && tr?.isConnected === true) paintStats(tr, row);
};

export const tickUptimes = (): void => {
  for (const [key, row] of rows) {
    if (row.info.statename !== 'RUNNING') continue;
    const tr = existingRow(key);
    if (tr?.isConnected === true) paintUptime(tr, row);
  }
};
