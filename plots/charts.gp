# charts.gp - pidsim's charts, drawn from bench/results/*.tsv.
#
#   gnuplot -e "fmt='svg'" plots/charts.gp     (make plots does svg and png)
#
# Subjects (designs and floors) are read from the TSV files, never listed
# here, so a new design shows up by itself.  Floors (array, hash) are
# drawn grey: array dotted, hash dashed.

if (!exists("fmt")) fmt = "svg"
if (!exists("dir")) dir = "bench/results"
if (!exists("out")) out = "plots"

if (fmt eq "svg") {
	set terminal svg size 900,420 dynamic font "Helvetica,12" background rgb "white"
} else {
	set terminal pngcairo size 900,420 font "Helvetica,10" background rgb "white"
}
set datafile separator "\t"
set key top left Left reverse samplen 2 font ",10"
set grid xtics ytics lc rgb "#dddddd"
set border lc rgb "#555555"

# Rows of workload w, variant v, subject s with a value: an awk filter.
sel(f, w, v, s) = sprintf("< awk -F'\t' '$1==\"%s\" && $2==\"%s\" && $4==\"%s\" && $6!~/nan/' %s/%s.tsv", w, v, s, dir, f)
# The subjects of a file, in order of first appearance.
subjects(f) = system(sprintf("awk -F'\t' '!/^#/ && NR>1 && $1!=\"workload\" && $6!~/nan/ {print $4}' %s/%s.tsv 2>/dev/null | awk '!seen[$0]++' | tr '\\n' ' '", dir, f))
isfloor(s) = (s eq "array" || s eq "hash")
# Line styles: 1..8 for designs, 100 for floors (grey, dashed).
colors = "#1b9e77 #d95f02 #7570b3 #e7298a #66a61e #e6ab02 #a6761d #666666"
do for [i=1:8] { set style line i lc rgb word(colors, i) lw 2 pt 7 ps 0.6 dt 1 }
set style line 100 lc rgb "#888888" lw 2 pt 6 ps 0.6 dt 3
set style line 101 lc rgb "#888888" lw 2 pt 4 ps 0.6 dt 2
ls_of(i, s) = s eq "array" ? 100 : s eq "hash" ? 101 : (i - 1) % 8 + 1
exists_file(f) = system(sprintf("test -s %s/%s.tsv && echo 1 || echo 0", dir, f)) + 0

# ---- lookup vs tasks ------------------------------------------------------
if (exists_file("lookup-tasks")) {
	S = subjects("lookup-tasks")
	set output sprintf("%s/lookup-tasks.%s", out, fmt)
	set multiplot layout 1,2 title "pid -> task lookup from inside a container (pidsim\\_find), median ns"
	set logscale xy
	set format x "10^{%L}"
	set xlabel "live tasks"
	set ylabel "ns per lookup"
	set title "hits"
	plot for [i=1:words(S)] sel("lookup-tasks", "lookup-tasks", "hit", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i)
	set title "misses"
	plot for [i=1:words(S)] sel("lookup-tasks", "lookup-tasks", "miss", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i)
	unset multiplot
	unset logscale
	set format x "% h"
}

# ---- lookup vs containers -------------------------------------------------
if (exists_file("lookup-containers")) {
	S = subjects("lookup-containers")
	set output sprintf("%s/lookup-containers.%s", out, fmt)
	set multiplot layout 1,2 title "lookup from random containers, tasks held constant, median ns"
	set logscale x
	set logscale y
	set xlabel "containers"
	set ylabel "ns per lookup"
	set title "hits"
	plot for [i=1:words(S)] sel("lookup-containers", "lookup-containers", "hit", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i)
	set title "misses"
	plot for [i=1:words(S)] sel("lookup-containers", "lookup-containers", "miss", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i)
	unset multiplot
	unset logscale
}

# ---- churn ----------------------------------------------------------------
if (exists_file("churn")) {
	S = subjects("churn")
	set output sprintf("%s/churn.%s", out, fmt)
	set multiplot layout 1,2 title "fork + exit + waitpid, pid\\_max about 4x the live tasks, median ns per cycle"
	set logscale x
	set yrange [0:*]
	set xlabel "live tasks"
	set ylabel "ns per cycle"
	set title "in a container"
	plot for [i=1:words(S)] sel("churn", "churn", "ct", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i), \
		200 with lines lc rgb "#cc0000" dt 3 title "target 200 ns"
	set title "on the host"
	plot for [i=1:words(S)] sel("churn", "churn", "host", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i), \
		200 with lines lc rgb "#cc0000" dt 3 title "target 200 ns"
	unset multiplot
	unset logscale
	set yrange [*:*]
}

# ---- bytes per task and build time -----------------------------------------
if (exists_file("scale")) {
	S = subjects("scale")
	set output sprintf("%s/bytes.%s", out, fmt)
	set multiplot layout 1,2 title "an image of N live tasks: memory and build time"
	set logscale x
	set format x "10^{%L}"
	set yrange [0:*]
	set xlabel "live tasks"
	set ylabel "bytes per task (all tables)"
	set title "bytes per task (counted by the model)"
	plot for [i=1:words(S)] sel("scale", "scale", "bytes", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i), \
		256 with lines lc rgb "#cc0000" dt 3 title "target 256"
	set ylabel "ns per task"
	set title "build (fork) time per task"
	plot for [i=1:words(S)] sel("scale", "scale", "build", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i)
	unset multiplot
	unset logscale
	set format x "% h"
	set yrange [*:*]
}

# ---- stored owners ------------------------------------------------------------
if (exists_file("notify")) {
	S = subjects("notify")
	set output sprintf("%s/notify.%s", out, fmt)
	set multiplot layout 1,2 title "setown, then churn, then notify: 4,096 owners, 8,192 live, pid\\_max 32,768"
	set xlabel "exit + reap + fork cycles after setown"
	set xrange [0:*]
	set yrange [0:*]
	set ylabel "% of notifications"
	set title "mis-delivered: reached a task other than the owner"
	plot for [i=1:words(S)] sel("notify", "notify", "misdelivered", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i)
	set title "dropped: owner gone, nobody reached"
	plot for [i=1:words(S)] sel("notify", "notify", "dropped", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i)
	unset multiplot
	set xrange [*:*]
	set yrange [*:*]
}

# ---- migration (placeholder until pidsim can migrate) ------------------------
set output sprintf("%s/migration.%s", out, fmt)
S = exists_file("migration") ? subjects("migration") : ""
if (words(S) > 0) {
	set title "checkpoint + restore, ns per task"
	set logscale x
	set xlabel "tasks in the migrated tree"
	set ylabel "ns per task"
	plot for [i=1:words(S)] sel("migration", "migration", "checkpoint", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) title word(S, i)
	unset logscale
} else {
	reset			# a blank frame: none of the settings above
	unset border
	unset tics
	unset grid
	unset key
	set title "migration: checkpoint + restore per task"
	set label 1 "not yet implemented: pidsim has no migration yet" at graph 0.5, 0.5 center font ",14"
	plot [0:1][0:1] 2 notitle
	unset label 1
}
unset output
