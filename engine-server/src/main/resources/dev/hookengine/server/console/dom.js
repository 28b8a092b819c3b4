// Building the page without HTML parsing: every text, ours or the server's, becomes a Text node, so
// attacker-controlled payloads and responses can never become markup or script.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'style') {
      // Inline styles would need 'unsafe-inline' in the CSP: classes only.
      throw new Error('no inline styles: use a class');
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element: el('td', {class: 'mono'}, 'text', otherNode). */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, for the chart. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/**
 * Gives each body cell of `table` its column's name as `data-label`: what names a cell when a narrow
 * window shows each row as a card and the head row is out of sight (console.css). An attribute, not a
 * style: the CSP allows no inline style.
 */
export function labelCells(table) {
  const names = [...table.tHead.rows[0].cells].map((head) => head.textContent.trim());
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      [...row.cells].forEach((cell, column) => cell.setAttribute('data-label', names[column] || ''));
    }
  }
  return table;
}

/** Replaces what `parent` holds with `children`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return build(parent, {}, children);
}

/** JSON text pretty-printed when it parses, as it came otherwise. */
export function pretty(value) {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return JSON.stringify(value, null, 2);
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

/** A local date and time for a timestamp, with the ISO text as a tooltip. */
export function time(iso) {
  if (!iso) return el('span', {class: 'muted'}, '—');
  const date = new Date(iso);
  return el('time', {datetime: iso, title: iso}, Number.isNaN(date.getTime()) ? iso : date.toLocaleString());
}
