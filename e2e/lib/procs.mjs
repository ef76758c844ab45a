// Finding and stopping every process an app start made, from /proc (Linux).
//
// One start of the app is a tree: dbus-run-session → with-secret-service.sh →
// xvfb-run → Xvfb, `go tool wails dev` → wails → the app and Vite. Killing a
// process group is not enough: Vite runs in its own group (wails sets
// Setpgid), and gnome-keyring-daemon and the accessibility bus daemonise,
// so their parent becomes init. Three nets catch them all:
//   - the session: the harness starts the tree with setsid, and nothing in
//     it starts a new session of its own;
//   - the parent chain: anything below the leader;
//   - a marker: an environment variable only that tree carries (daemons keep
//     their environment even when they leave the tree).
import { readFileSync, readdirSync } from 'node:fs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// table returns every live process: pid → { ppid, sid }.
function table() {
  const procs = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp session …"; comm may hold spaces and ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    procs.set(Number(name), { ppid: Number(fields[1]), sid: Number(fields[3]), state: fields[0] });
  }
  return procs;
}

function hasMarker(pid, marker) {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker);
  } catch {
    return false;
  }
}

// members returns the pids that belong to the tree led by leader (which ran
// setsid), or carry marker ("NAME=value") in their environment. Zombies are
// left out: they are dead already and go when their parent reaps them.
export function members(leader, marker) {
  const procs = table();
  const keep = new Set();
  for (const [pid, p] of procs) {
    if (p.state === 'Z' || pid === process.pid) continue;
    // The leader ran setsid, so its own session ID is its pid.
    if (p.sid === leader || (marker && hasMarker(pid, marker))) keep.add(pid);
  }
  // Descendants of anything kept (a child could, in principle, setsid).
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of procs) {
      if (!keep.has(pid) && p.state !== 'Z' && keep.has(p.ppid) && pid !== process.pid) {
        keep.add(pid);
        grew = true;
      }
    }
  }
  return [...keep];
}

function signal(pids, sig) {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

// stopTree sends TERM to every member, waits up to graceMs for them to go,
// then KILLs what is left. It resolves with the pids that needed KILL.
export async function stopTree(leader, marker, { graceMs = 8000 } = {}) {
  let pids = members(leader, marker);
  if (pids.length === 0) return [];
  signal(pids, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(100);
    // Newcomers (a process forked while stopping) get TERM too.
    const now = members(leader, marker);
    signal(now.filter((p) => !pids.includes(p)), 'SIGTERM');
    pids = now;
    if (pids.length === 0) return [];
  }
  signal(pids, 'SIGKILL');
  for (let i = 0; i < 50 && members(leader, marker).length > 0; i++) await sleep(100);
  return pids;
}
