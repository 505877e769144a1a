// DOM nodes from code: user-typed text reaches the page only as text nodes.

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// Leaflet puts a string tooltip/popup into innerHTML: user-typed names must only ever reach it as
// DOM nodes. A function gives every layer its own fresh node (one node cannot sit in two tooltips).
export const asText = (text) => () => h('span', {}, text);
