#!/usr/bin/env python3
# ptyrun.py SECONDS CMD...: runs CMD as the session leader and foreground process group of a
# new pty, with default signal dispositions and an empty signal mask whatever the caller
# inherited, and copies what it prints to stdout. Nothing is ever written to the pty (script(1)
# writes an EOF there when its stdin is not a terminal, which races with a client going raw).
# Exits with CMD's status (128+N when killed by signal N); past SECONDS it prints the processes
# of the session and the process tree to stderr, SIGKILLs all of them and exits 124.
import fcntl, os, select, signal, subprocess, sys, termios, time


def session_members(sid):
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getsid(int(entry)) == sid:
                    pids.append(int(entry))
            except OSError:
                pass
    return pids


def describe(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        with open(f"/proc/{pid}/wchan") as f:
            wchan = f.read()
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return f"  {pid} {state} {wchan} {cmd}"
    except OSError:
        return f"  {pid} (gone)"


def timed_out(pid, argv, seconds):
    members = session_members(pid)
    print(f"ptyrun: `{' '.join(argv)}` ran past {seconds:g}s; its session:", file=sys.stderr)
    for p in members:
        print(describe(p), file=sys.stderr)
    print("ptyrun: and every process but kernel threads:", file=sys.stderr)
    ps = subprocess.run(["ps", "-eo", "pid,ppid,sid,stat,wchan:24,args", "--forest"],
                        capture_output=True, text=True, check=False).stdout
    for line in ps.splitlines():
        if line.split()[1] not in ("0", "2"):
            print(line[:200], file=sys.stderr)
    for p in members:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass
    os.waitpid(pid, 0)
    sys.exit(124)


def main():
    seconds, argv = float(sys.argv[1]), sys.argv[2:]
    for sig in range(1, signal.NSIG):
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (OSError, RuntimeError, ValueError):
            pass
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    master, slave = os.openpty()
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        if slave > 2:
            os.close(slave)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    os.close(slave)
    deadline = time.monotonic() + seconds
    status, eof = None, False
    while status is None or not eof:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out(pid, argv, seconds)
        # Once CMD is gone, only drain what is buffered: a process it left behind may hold
        # the slave open for ever.
        wait = 0.05 if status is not None else min(left, 0.1)
        ready, _, _ = select.select([] if eof else [master], [], [], wait)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: every slave fd is closed
                chunk = b""
            sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
            eof = not chunk
        elif status is not None:
            eof = True
        if status is None:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
    sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status)
             else 128 + os.WTERMSIG(status))


main()
