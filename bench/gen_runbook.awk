# A runbook of `steps` steps (default 100,000; ~4.4 MB) in phases of 100: SQL, lets and expectations. Deterministic.
BEGIN {
    if (steps == "") steps = 100000
    print "runbook \"bench check\" {"
    print "  param tenant text = \"acme\""
    for (s = 0; s < steps; ) {
        printf "  phase \"p%d\" {\n", s / 100
        for (k = 0; k < 100 && s < steps; k++) {
            if (k % 4 == 0) printf "    sql $$ update bench set v = v + 1 where id = %d $$\n", s
            else if (k % 4 == 1) printf "    let n%d = %d\n", k, s
            else if (k % 4 == 2) printf "    sql $$ insert into bench(id, t) values (%d, :'tenant') $$\n", s
            else printf "    expect n%d == %d\n", k - 2, s - 2
            s++
        }
        print "  }"
    }
    print "}"
}
