# compare-forest - Which metrics changed, how much, how sure?
# Data: one block (series = comparison name), row per (scenario, metric):
#   label ratio lo hi verdict p_holm delta
# Calling convention (fixed):
#   LC_ALL=C gnuplot -c compare-forest.gp DATA.tsv OUT TITLE [svg|png]
# ARG1 = TSV written by the mmbench exporter (layout: scripts/gnuplot/README.md),
# ARG2 = output image, ARG3 = title, ARG4 = terminal (default: see below).
# gnuplot only draws: every number shown is computed by the exporter.
if (ARGC < 2) { exit error "usage: gnuplot -c compare-forest.gp DATA.tsv OUT [TITLE] [svg|png]" }
DATA = ARG1
TITLE = (ARGC >= 3) ? ARG3 : ""

# Non-empty data blocks of DATA as "filepos name rows" triples. gnuplot's
# `index` skips empty blocks, so non-empty block k (1-based) is `index k-1`;
# filepos (0-based position in the file) fixes the setting colour.
AWKB = 'BEGIN{p=0;n=0;b=0;nm=""} /^[ \t\r]*$/{b++;next} {if(b>=2){if(n>0)printf "%d %s %d ",p,(nm==""?"series" p:nm),n; p++;n=0;nm=""} b=0} /^# series=/{nm=substr($0,10);sub(/[ \t\r]+$/,"",nm);next} /^#/{next} {n++} END{if(n>0)printf "%d %s %d",p,(nm==""?"series" p:nm),n}'
BINFO = system(sprintf("awk '%s' '%s'", AWKB, DATA))
NB = words(BINFO) / 3
bpos(k) = int(word(BINFO, 3*k-2))
bname(k) = word(BINFO, 3*k-1)
bcnt(k) = int(word(BINFO, 3*k))
NROWS = 0
do for [k=1:NB] { NROWS = NROWS + bcnt(k) }
# first non-empty block with a given series name (0 = none)
bfind(s) = sum [k=1:NB] ((bname(k) eq s) ? k : 0)

# Okabe-Ito: settings by block order, generations fixed
SETCOLS = "#0072B2 #E69F00 #009E73 #CC79A7 #56B4E9 #D55E00 #F0E442 #000000"
setcol(p) = word(SETCOLS, (int(p) % 8) + 1)
gencol(n) = (n eq "gen0") ? "#E69F00" : (n eq "gen1") ? "#56B4E9" : (n eq "gen2") ? "#D55E00" : "#000000"
genrgb(g) = (int(g) == 0) ? 0xE69F00 : (int(g) == 1) ? 0x56B4E9 : (int(g) == 2) ? 0xD55E00 : 0x000000

TERMDEF = "svg"

TERMSEL = (ARGC >= 4 && ARG4 ne "") ? ARG4 : TERMDEF
if (TERMSEL eq "png") {
    set terminal pngcairo size 1200,700 font "sans,10"
} else {
    if (TERMSEL eq "svg") {
        set terminal svg size 900,500 dynamic font "sans,10"
    } else {
        exit error sprintf("unknown terminal '%s' (svg or png)", TERMSEL)
    }
}
set termoption noenhanced
set output ARG2
set datafile separator "\t"
set datafile missing "NaN"
set title TITLE noenhanced
set grid lc rgb "#DDDDDD"
if (NB == 0) {
    set label 1 "no data" at graph 0.5, graph 0.5 center
    set xrange [0:1]
    set yrange [0:1]
    unset xtics
    unset ytics
    plot 2 notitle
    unset output
    exit
}

AWKR = 'BEGIN{FS="\t";mn=1;mx=1} /^#/||NF<7{next} {for(c=2;c<=4;c++) if($c!="NaN" && $c+0>0){if($c+0<mn)mn=$c+0; if($c+0>mx)mx=$c+0} if($7!="NaN"){d=$7+0; if(1+d>mx)mx=1+d; if(1/(1+d)<mn)mn=1/(1+d)}} END{printf "%.9g %.9g", mn, mx}'
RR = system(sprintf("awk '%s' '%s'", AWKR, DATA))
RMN = real(word(RR, 1))
RMX = real(word(RR, 2))
SPAN = log(RMX / RMN)
SPAN = (SPAN < log(1.05)) ? log(1.05) : SPAN
set xrange [RMN * exp(-0.05 * SPAN) : RMX * exp(0.45 * SPAN)]
NR = bcnt(1)
set yrange [NR - 0.5 : -0.5]
set logscale x
RT_MN = RMN * exp(-0.05 * SPAN)
RT_MX = RMX * exp(0.45 * SPAN)
# Ratio tics for a log axis covering [RT_MN, RT_MX] (a narrow range gets no log tics otherwise)
RT_SPAN = RT_MX / RT_MN
RTL = ""
if (RT_SPAN <= 1.3) {
    do for [i=25:75] { RTL = RTL . sprintf("%s\"%g\" %g", (strlen(RTL) > 0 ? ", " : ""), i * 0.02, i * 0.02) }
} else {
    if (RT_SPAN <= 3) {
        do for [i=2:30] { RTL = RTL . sprintf("%s\"%g\" %g", (strlen(RTL) > 0 ? ", " : ""), i * 0.1, i * 0.1) }
    } else {
        do for [e=-3:3] { do for [m in "1 2 5"] { RTL = RTL . sprintf("%s\"%g\" %g", (strlen(RTL) > 0 ? ", " : ""), real(m) * 10.0**e, real(m) * 10.0**e) } }
    }
}
eval sprintf("set xtics (%s) nomirror", RTL)
set ytics nomirror scale 0
set grid xtics noytics
set xlabel "ratio candidate / baseline (log scale; 1 = no change)"
set key below horizontal
set style fill transparent solid 0.3 noborder
set arrow 1 from first 1, graph 0 to first 1, graph 1 nohead dt 2 lc rgb "#000000" front
vcol(s) = (s eq "better") ? 0x009E73 : (s eq "worse") ? 0xD55E00 : 0x555555
plot DATA index 0 using (1):0:(1/(1+$7)):(1+$7):($0-0.4):($0+0.4) with boxxyerror fc rgb "#AAAAAA" \
         title "band B = [1/(1+delta), 1+delta]", \
     DATA index 0 using 2:0:(valid(3) ? $3 : $2):(valid(4) ? $4 : $2):(vcol(strcol(5))):ytic(1) \
         with xerrorbars pt 7 ps 0.8 lw 1.5 lc rgb variable title "ratio with 95% CI", \
     DATA index 0 using (valid(4) ? $4 : $2):0:(strcol(5) . (valid(6) ? " (p_holm " . strcol(6) . ")" : "")) \
         with labels left offset char 1, char 0 notitle
