#!/usr/bin/python3
# The listener of W8: a supervisord event listener written with supervisor's own childutils, as
# users write them. It appends the serial of every event it gets to DIR/<pid>.txt and answers OK.
import os
import sys

from supervisor import childutils

out = open(os.path.join(sys.argv[1], '%d.txt' % os.getpid()), 'a')
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    out.write(headers['serial'] + '\n')
    out.flush()
    childutils.listener.ok(sys.stdout)
