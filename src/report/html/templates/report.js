(function(){
  function sortBy(table, th, index){
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = th.getAttribute('data-type') === 'num';
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function(h){ h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    function key(row){ var c = row.cells[index]; var v = c.getAttribute('data-v'); return v === null ? c.textContent : v; }
    rows.sort(function(a, b){
      var x = key(a), y = key(b);
      var d = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
      return ascending ? d : -d;
    });
    rows.forEach(function(r){ body.appendChild(r); });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function(table){
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function(th, index){
      th.addEventListener('click', function(){ sortBy(table, th, index); });
      th.addEventListener('keydown', function(e){ if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(table, th, index); } });
    });
  });
  // Letter texts start collapsed: a link into one opens it first.
  function reveal(){
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    for (var p = target.parentElement; p; p = p.parentElement) { if (p.tagName === 'DETAILS') p.open = true; }
    target.scrollIntoView();
  }
  window.addEventListener('hashchange', reveal);
  reveal();
})();
