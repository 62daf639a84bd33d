
var parts = ['', 'open', 'api', 'v3', 'records'];
var current = 1;
function show(rows) {
  var ul = document.getElementById('infoList');
  ul.innerHTML = rows.map(function (r) { return '<li><a href="' + r.lj + '">' + r.bt + '</a><span>' + r.rq + '</span></li>'; }).join('');
}
function load(pn) {
  fetch(parts.join('/') + '?colId=12&pn=' + pn + '&ps=3').then(function (r) { return r.json(); })
    .then(function (d) { current = pn; show(d.data.rows); });
  fetch('/open/api/stats?col=12');
}
function turn(step) { load(current + step); }
document.addEventListener('DOMContentLoaded', function () { load(1); });
