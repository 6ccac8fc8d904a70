# gnuplot script of benchmarks/plot.sh: requests per second (and p99 latency) against concurrency C,
# one line per client. plot.sh passes, with -e:
#   rps_dat, p99_dat   data files: a header row of quoted client labels after "C", then one row per
#                      C with one column per client (NaN where a client has no result)
#   ncol               columns in the data files (C plus one per client)
#   nconn              N, the connections of the pool clients
#   colors, widths, dashes   per client column, space-separated: line colour, width and dash type
#   out_png, out_p99_png, heading, subheading
set encoding utf8
set datafile missing "NaN"
set terminal pngcairo size 1280,860 enhanced font "DejaVu Sans,13" linewidth 1.5
set logscale x 2
set xrange [*:*]
set offsets graph 0.03, graph 0.03, 0, 0
set xtics scale 0.5 nomirror
set format x "%.0f"
set mxtics default
set grid xtics ytics lc rgb "#d0d0d0"
set border 3
set ytics nomirror
set key outside below center horizontal maxcols 4 Left reverse samplen 2 width 1 spacing 1.2
set xlabel "C: requests in flight (wrk: connections)"
note = sprintf("pool clients: C requests in flight over at most %d connections; wrk: C connections, one request in flight each, no TLS verification", nconn)
set title sprintf("%s\n{/*0.7 %s}\n{/*0.7 %s}", heading, note, subheading)

lc_(i) = word(colors, i - 1)
lw_(i) = real(word(widths, i - 1))
dt_(i) = int(word(dashes, i - 1))

set output out_png
set ylabel "requests per second"
set yrange [0:*]
set format y "%.0s%c"
plot for [i=2:ncol] rps_dat using 1:i with linespoints lc rgb lc_(i) lw lw_(i) dt dt_(i) pt (i % 8 + 4) ps 1.2 title columnhead(i)

set output out_p99_png
set ylabel "p99 latency (ms, log scale)"
set logscale y 10
set yrange [*:*]
set format y "%g"
set title sprintf("%s\n{/*0.7 %s}\n{/*0.7 %s}\n{/*0.7 %s}", "p99 latency against concurrency (the same runs)", note, \
                  "at C > N the pool clients' latencies include the wait for a free connection", subheading)
plot for [i=2:ncol] p99_dat using 1:(column(i) / 1000.0) with linespoints lc rgb lc_(i) lw lw_(i) dt dt_(i) pt (i % 8 + 4) ps 1.2 title columnhead(i)
