# charts.gp - pidsim's charts, drawn from a results folder's *.tsv.
#
#   gnuplot -e "fmt='svg'; dir='build/bench/results'; out='build/bench/plots'" plots/charts.gp
#   (make plots does svg and png; make bench-paper: dir=bench/results, out=plots)
#
# Subjects (designs and floors) are read from the TSV files, never listed
# here, so a new design shows up by itself.  Floors are drawn grey: the
# array dotted, the radix tree dashed.  Every timed point carries an error
# bar from the run's rounds (min to max); every chart carries the run's
# stamp (stamp.txt: date, commit, machine, load, median CV, machine speed);
# a log axis says so in its label.

if (!exists("fmt")) fmt = "svg"
if (!exists("dir")) dir = "build/bench/results"
if (!exists("out")) out = "build/bench/plots"

W = 900; H = 440; H2 = 800
small(w, h) = fmt eq "svg" ? \
	sprintf("set terminal svg size %d,%d dynamic font 'Helvetica,12' background rgb 'white'", w, h) : \
	sprintf("set terminal pngcairo size %d,%d font 'Helvetica,10' background rgb 'white'", w, h)
eval small(W, H)
set datafile separator "\t"
set key top left Left reverse samplen 2 font ",10"
set grid xtics ytics lc rgb "#dddddd"
set border lc rgb "#555555"
set bars small

# The run's stamp, at the foot of every chart (once per multiplot).
stamp = system(sprintf("cat %s/stamp.txt 2>/dev/null || echo 'no stamp: run make bench'", dir))
stamp_on = "set label 99 'run: '.stamp at screen 0.5, screen 0.012 center font ',8' tc rgb '#555555' noenhanced; set bmargin 4.5"
stamp_off = "unset label 99"

# Rows of workload w, variant v, subject s with a value: an awk filter.
sel(f, w, v, s) = sprintf("< awk -F'\t' '$1==\"%s\" && $2==\"%s\" && $4==\"%s\" && $6!~/nan/' %s/%s.tsv", w, v, s, dir, f)
# The subjects of a file, in order of first appearance.
subjects(f) = system(sprintf("awk -F'\t' '!/^#/ && NR>1 && $1!=\"workload\" && $6!~/nan/ {print $4}' %s/%s.tsv 2>/dev/null | awk '!seen[$0]++' | tr '\\n' ' '", dir, f))
# Line styles: 1..8 for designs, 100 and 101 for the floors (grey).
colors = "#1b9e77 #d95f02 #7570b3 #e7298a #66a61e #e6ab02 #a6761d #666666"
do for [i=1:8] { set style line i lc rgb word(colors, i) lw 2 pt 7 ps 0.6 dt 1 }
set style line 100 lc rgb "#888888" lw 2 pt 6 ps 0.6 dt 3
set style line 101 lc rgb "#888888" lw 2 pt 4 ps 0.6 dt 2
ls_of(i, s) = s eq "array" ? 100 : s eq "radix" ? 101 : (i - 1) % 8 + 1
exists_file(f) = system(sprintf("test -s %s/%s.tsv && echo 1 || echo 0", dir, f)) + 0

# ---- lookup vs tasks ------------------------------------------------------
if (exists_file("lookup-tasks")) {
	S = subjects("lookup-tasks")
	set output sprintf("%s/lookup-tasks.%s", out, fmt)
	set multiplot layout 1,2 title "pid -> task lookup from inside a container (pidsim\\_find), median ns, bars: min-max of the rounds"
	eval stamp_on
	set logscale xy
	set format x "10^{%L}"
	set xlabel "live tasks (log scale)"
	set ylabel "ns per lookup (log scale)"
	set title "hits"
	plot for [i=1:words(S)] sel("lookup-tasks", "lookup-tasks", "hit", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls ls_of(i, word(S, i)) \
		title word(S, i)
	eval stamp_off
	set title "misses"
	plot for [i=1:words(S)] sel("lookup-tasks", "lookup-tasks", "miss", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls ls_of(i, word(S, i)) \
		title word(S, i)
	unset multiplot
	unset logscale
	set format x "% h"
}

# ---- lookup vs containers -------------------------------------------------
if (exists_file("lookup-containers")) {
	S = subjects("lookup-containers")
	set output sprintf("%s/lookup-containers.%s", out, fmt)
	set multiplot layout 1,2 title "lookup from random containers, tasks held constant, median ns, bars: min-max of the rounds"
	eval stamp_on
	set logscale x
	set logscale y
	set xlabel "containers (log scale)"
	set ylabel "ns per lookup (log scale)"
	set title "hits"
	plot for [i=1:words(S)] sel("lookup-containers", "lookup-containers", "hit", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls ls_of(i, word(S, i)) \
		title word(S, i)
	eval stamp_off
	set title "misses"
	plot for [i=1:words(S)] sel("lookup-containers", "lookup-containers", "miss", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls ls_of(i, word(S, i)) \
		title word(S, i)
	unset multiplot
	unset logscale
}

# ---- system calls -----------------------------------------------------------
if (exists_file("calls")) {
	S = subjects("calls")
	eval small(W, H2)
	set output sprintf("%s/calls.%s", out, fmt)
	set multiplot layout 2,2 title "one system call through the public API (the user/kernel crossing), median ns, bars: min-max of the rounds"
	eval stamp_on
	set xlabel "container level of the caller (0 = host)"
	set xrange [-0.3:2.3]
	set xtics 0,1,2
	set yrange [0:*]
	set ylabel "ns per call"
	set title "getpid"
	plot for [i=1:words(S)] sel("calls", "calls", "getpid", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls ls_of(i, word(S, i)) title word(S, i)
	eval stamp_off
	set title "getppid"
	plot for [i=1:words(S)] sel("calls", "calls", "getppid", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls ls_of(i, word(S, i)) title word(S, i)
	set title "kill(pid, 0)"
	plot for [i=1:words(S)] sel("calls", "calls", "kill0", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls ls_of(i, word(S, i)) title word(S, i)
	set title "waitpid(pid, WNOHANG) on a running child"
	plot for [i=1:words(S)] sel("calls", "calls", "wait", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls ls_of(i, word(S, i)) title word(S, i)
	unset multiplot
	set xrange [*:*]
	set yrange [*:*]
	set xtics autofreq
	eval small(W, H)
}

# ---- churn ----------------------------------------------------------------
if (exists_file("churn")) {
	S = subjects("churn")
	set output sprintf("%s/churn.%s", out, fmt)
	set multiplot layout 1,2 title "fork + exit + waitpid, pid\\_max about 4x the live tasks, median ns per cycle, bars: min-max of the rounds"
	eval stamp_on
	set logscale x
	set yrange [0:*]
	set xlabel "live tasks (log scale)"
	set ylabel "ns per cycle"
	set title "in a container"
	plot for [i=1:words(S)] sel("churn", "churn", "ct", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls ls_of(i, word(S, i)) \
		title word(S, i)
	eval stamp_off
	set title "on the host"
	plot for [i=1:words(S)] sel("churn", "churn", "host", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls ls_of(i, word(S, i)) \
		title word(S, i)
	unset multiplot
	unset logscale
	set yrange [*:*]
}

# ---- bytes per task and build time -----------------------------------------
if (exists_file("scale")) {
	S = subjects("scale")
	set output sprintf("%s/bytes.%s", out, fmt)
	set multiplot layout 1,2 title "an image of N live tasks: memory and build time"
	eval stamp_on
	set logscale x
	set format x "10^{%L}"
	set yrange [0:*]
	set xlabel "live tasks (log scale)"
	set ylabel "bytes per task (all tables)"
	set title "bytes per task (counted by the model)"
	plot for [i=1:words(S)] sel("scale", "scale", "bytes", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i), \
		256 with lines lc rgb "#cc0000" dt 3 title "target 256"
	eval stamp_off
	set ylabel "ns per task"
	set title "build (fork) time per task, one build"
	plot for [i=1:words(S)] sel("scale", "scale", "build", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i)
	unset multiplot
	unset logscale
	set format x "% h"
	set yrange [*:*]
}

# ---- ps and kill -1: walking a view ---------------------------------------------
# Per pid listed (the TSV's n): the host rows list different numbers of
# pids by design (pidspace its own and the glue pids, the others all).
if (exists_file("iterate")) {
	S = subjects("iterate")
	eval small(W, H2)
	set output sprintf("%s/iterate.%s", out, fmt)
	set multiplot layout 2,2 title "ps and kill(-1, 0): walking a view (the host and 4 containers, N tasks each), ns per pid listed, bars: min-max of the rounds"
	eval stamp_on
	set logscale x
	set format x "10^{%L}"
	set yrange [0:*]
	set xlabel "tasks per view (log scale)"
	set ylabel "ns per pid listed"
	set title "ps in a container"
	plot for [i=1:words(S)] sel("iterate", "iterate", "ps-ct", word(S, i)) \
		using 3:($6/$12):($7/$12):($8/$12) with yerrorlines ls ls_of(i, word(S, i)) title word(S, i)
	eval stamp_off
	set title "kill(-1, 0) in a container"
	plot for [i=1:words(S)] sel("iterate", "iterate", "kill-1-ct", word(S, i)) \
		using 3:($6/$12):($7/$12):($8/$12) with yerrorlines ls ls_of(i, word(S, i)) title word(S, i)
	set title "ps of a container, from the host"
	plot for [i=1:words(S)] sel("iterate", "iterate", "ps-in-ct", word(S, i)) \
		using 3:($6/$12):($7/$12):($8/$12) with yerrorlines ls ls_of(i, word(S, i)) title word(S, i)
	set title "ps on the host (pidspace lists its own and 4 glue pids; the others all)"
	SH = system(sprintf("awk -F'\t' '$1==\"iterate\" && $2==\"ps-host\" && $6!~/nan/ {print $4}' %s/iterate.tsv | awk '!seen[$0]++' | tr '\\n' ' '", dir))
	plot for [i=1:words(SH)] sel("iterate", "iterate", "ps-host", word(SH, i)) \
		using 3:($6/$12):($7/$12):($8/$12) with yerrorlines ls ls_of(i, word(SH, i)) title word(SH, i)
	unset multiplot
	unset logscale
	set format x "% h"
	set yrange [*:*]
	eval small(W, H)
}

# ---- stored owners ------------------------------------------------------------
if (exists_file("notify")) {
	S = subjects("notify")
	set output sprintf("%s/notify.%s", out, fmt)
	set multiplot layout 1,2 title "setown, then churn, then notify: 4,096 owners, 8,192 live, pid\\_max 32,768 (counts: no noise)"
	eval stamp_on
	set xlabel "exit + reap + fork cycles after setown"
	set xrange [0:*]
	set yrange [0:*]
	set ylabel "% of notifications"
	set title "mis-delivered: reached a task other than the owner"
	plot for [i=1:words(S)] sel("notify", "notify", "misdelivered", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i)
	eval stamp_off
	set title "dropped: owner gone, nobody reached"
	plot for [i=1:words(S)] sel("notify", "notify", "dropped", word(S, i)) \
		using 3:6 with linespoints ls ls_of(i, word(S, i)) \
		title word(S, i)
	unset multiplot
	set xrange [*:*]
	set yrange [*:*]
}

# ---- nesting depth ------------------------------------------------------------
# Designs in one colour each across the panels (their order in the TSV);
# the real kernel (subject linux) in its own panel.
if (exists_file("depth")) {
	S = system(sprintf("awk -F'\t' '!/^#/ && $1==\"depth\" && $4!=\"linux\" && $6!~/nan/ {print $4}' %s/depth.tsv | awk '!seen[$0]++' | tr '\\n' ' '", dir))
	do for [i=1:8] { set style line 10 + i lc rgb word(colors, i) lw 2 pt 6 ps 0.6 dt 2 }
	eval small(W, H2)
	set output sprintf("%s/depth.%s", out, fmt)
	set multiplot layout 2,2 title "a task L containers deep: a chain of L nested containers, 1,024 tasks in the deepest; bars: min-max of the rounds"
	eval stamp_on
	set xlabel "depth L (container level; 0 = host)"
	set xrange [-1:33]
	set xtics 0,4,32
	set logscale y
	set ylabel "ns per cycle (log scale)"
	set title "model: fork + exit + waitpid in the deepest container"
	plot for [i=1:words(S)] sel("depth", "depth", "fork", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls i title word(S, i)
	eval stamp_off
	set ylabel "microseconds per cycle (log scale)"
	set title "real Linux on this machine: nested pid namespaces"
	plot sel("depth", "depth", "fork", "linux") using 3:($6/1000):($7/1000):($8/1000) \
		with yerrorlines lc rgb "#333333" lw 2 pt 7 ps 0.6 title "fork + exit + waitpid", \
	     sel("depth", "depth", "vfork", "linux") using 3:($6/1000):($7/1000):($8/1000) \
		with yerrorlines lc rgb "#999999" lw 2 pt 5 ps 0.6 title "vfork + exit + waitpid"
	unset logscale y
	set yrange [0:*]
	set ylabel "ns per lookup"
	set title "pidsim\\_find: from the deepest init (solid), from the host (dashed)"
	set key bottom right
	plot for [i=1:words(S)] sel("depth", "depth", "find-deep", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls i title word(S, i), \
	     for [i=1:words(S)] sel("depth", "depth", "find-host", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls 10 + i notitle
	set key top left
	set ylabel "bytes per task"
	set title "bytes per task (fresh image, delta over 4,096 forks; a count)"
	plot for [i=1:words(S)] sel("depth", "depth", "bytes", word(S, i)) \
		using 3:6 with linespoints ls i title word(S, i)
	unset multiplot
	unset output
	set xrange [*:*]
	set yrange [*:*]
	set xtics autofreq
	set xlabel
	eval small(W, H)
}

# ---- migration ----------------------------------------------------------------
set output sprintf("%s/migration.%s", out, fmt)
S = exists_file("migration") ? subjects("migration") : ""
if (words(S) > 0) {
	# image bytes per task, smallest and largest: the format is the same
	# for every design, nested containers add a number per task
	IB = system(sprintf("awk -F'\t' '$1==\"migration\" && $2==\"image-bytes\" && $6!~/nan/ {if (!n++ || $6<lo) lo=$6; if ($6>hi) hi=$6} END {if (n) printf \"%%.1f-%%.1f\", lo, hi}' %s/migration.tsv", dir))
	set multiplot layout 1,2 title sprintf("migrating a container (x tasks, 1 in 8 zombies, a nested container where the design nests), ns per task; image %s bytes per task", IB) font ",11"
	eval stamp_on
	set logscale x
	set format x "10^{%L}"
	set yrange [0:*]
	set xlabel "tasks in the migrated tree (log scale)"
	set ylabel "ns per task"
	set title "checkpoint + restore into a fresh image"
	plot for [i=1:words(S)] sel("migration", "migration", "ckpt+restore", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls ls_of(i, word(S, i)) title word(S, i)
	eval stamp_off
	set title "migrate back and forth (checkpoint, restore, release)"
	plot for [i=1:words(S)] sel("migration", "migration", "migrate", word(S, i)) \
		using 3:6:7:8 with yerrorlines ls ls_of(i, word(S, i)) title word(S, i)
	unset multiplot
	unset logscale
	set format x "% h"
	set yrange [*:*]
} else {
	reset			# a blank frame (last: reset drops every setting)
	unset border
	unset tics
	unset grid
	unset key
	set title "migration: checkpoint + restore per task"
	set label 1 "no results: run make bench" at graph 0.5, 0.5 center font ",14"
	plot [0:1][0:1] 2 notitle
	unset label 1
}
unset output
