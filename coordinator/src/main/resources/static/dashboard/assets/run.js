// The run page, live: the run's event stream says when its counts change; then the grid's cells are updated by node
// id (never re-rendered whole, so 1000 nodes stay cheap) and the server-rendered summary is swapped in.
const grid = document.getElementById('grid');
const symbols = JSON.parse(grid.dataset.symbols);
const cells = new Map([...grid.querySelectorAll('li[data-node]')].map((li) => [li.dataset.node, li]));
const stateFilter = document.getElementById('filter-state');
const outcomeFilter = document.getElementById('filter-outcome');

function shown(li) {
  return (!stateFilter.value || li.dataset.state === stateFilter.value)
    && (!outcomeFilter.value || li.dataset.outcome === outcomeFilter.value);
}

function filter() {
  for (const li of cells.values()) {
    li.hidden = !shown(li);
  }
}

function update(cell) {
  const li = cells.get(cell.id);
  if (!li || (li.dataset.state === cell.state && li.dataset.outcome === cell.outcome)) {
    return;
  }
  li.dataset.state = cell.state;
  li.dataset.outcome = cell.outcome;
  li.className = `cell s-${cell.state}`;
  const link = li.firstElementChild;
  const label = `${cell.id}: ${cell.state}${cell.outcome ? ` (${cell.outcome})` : ''}`;
  link.textContent = symbols[cell.state];
  link.title = label;
  link.setAttribute('aria-label', label);
  li.hidden = !shown(li);
}

async function refresh() {
  const [cellsResponse, summaryResponse] = await Promise.all([
    fetch(grid.dataset.cells, { credentials: 'same-origin' }),
    fetch(grid.dataset.summary, { credentials: 'same-origin' }),
  ]);
  if (cellsResponse.ok) {
    (await cellsResponse.json()).forEach(update);
  }
  if (summaryResponse.ok) {
    document.getElementById('summary').outerHTML = await summaryResponse.text();
  }
}

stateFilter.addEventListener('change', filter);
outcomeFilter.addEventListener('change', filter);

if (grid.dataset.finished !== 'true') {
  const events = new EventSource(grid.dataset.events);
  let counts = '';
  events.addEventListener('progress', (event) => {
    const seen = JSON.stringify(JSON.parse(event.data).states);
    if (seen !== counts) {
      counts = seen;
      refresh();
    }
  });
  events.addEventListener('end', () => {
    events.close();
    refresh().then(() => {
      grid.dataset.finished = 'true';
      document.querySelector('form.cancel')?.remove();
    });
  });
}
