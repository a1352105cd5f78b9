# Start and stop a single-node Slurm cluster on this machine for tests (sourced).
# slurm_start DIR: munged + slurmctld + slurmd with their state, logs and config in DIR;
# exports SLURM_CONF; returns 77 (with a reason on stdout) when Slurm cannot run here.
# slurm_stop: kills what slurm_start started. Needs root (daemons run as root).
# shellcheck shell=bash

slurm_start() {
  SLURM_DIR=$1
  local host cpus mem port
  for b in munged slurmctld slurmd sbatch sinfo; do
    command -v "$b" >/dev/null || { echo "SKIP: $b not installed (Debian: slurm-wlm munge)"; return 77; }
  done
  [ "$(id -u)" -eq 0 ] || { echo "SKIP: a local Slurm cluster needs root"; return 77; }
  mkdir -p "$SLURM_DIR/state" "$SLURM_DIR/spool" "$SLURM_DIR/munge"
  chmod 700 "$SLURM_DIR/munge"
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
  port=$(( 20000 + RANDOM % 20000 ))
  # munge with its own key, socket and pid in DIR: no clash with a system munged.
  dd if=/dev/urandom of="$SLURM_DIR/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$SLURM_DIR/munge/munge.key"
  MUNGE_SOCKET=$SLURM_DIR/munge/munge.socket
  munged --force --key-file="$SLURM_DIR/munge/munge.key" --socket="$MUNGE_SOCKET" \
    --pid-file="$SLURM_DIR/munge/munged.pid" --log-file="$SLURM_DIR/munge/munged.log" \
    --seed-file="$SLURM_DIR/munge/munged.seed" || { echo "SKIP: munged does not start"; return 77; }
  cat >"$SLURM_DIR/slurm.conf" <<CONF
ClusterName=mmbenchtest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$SLURM_DIR/state
SlurmdSpoolDir=$SLURM_DIR/spool
SlurmctldPidFile=$SLURM_DIR/slurmctld.pid
SlurmdPidFile=$SLURM_DIR/slurmd.pid
SlurmctldLogFile=$SLURM_DIR/slurmctld.log
SlurmdLogFile=$SLURM_DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=EXCLUSIVE
CONF
  export SLURM_CONF=$SLURM_DIR/slurm.conf
  slurmctld -f "$SLURM_CONF" -i || { echo "SKIP: slurmctld does not start: $(tail -2 "$SLURM_DIR/slurmctld.log")"; slurm_stop; return 77; }
  slurmd -f "$SLURM_CONF" || { echo "SKIP: slurmd does not start: $(tail -2 "$SLURM_DIR/slurmd.log")"; slurm_stop; return 77; }
  for _ in $(seq 60); do
    if sinfo -h -o '%t' 2>/dev/null | grep -qE '^idle'; then return 0; fi
    sleep 0.5
  done
  echo "SKIP: the node never became idle: $(sinfo 2>&1 | tail -2); $(tail -3 "$SLURM_DIR/slurmd.log")"
  slurm_stop
  return 77
}

slurm_stop() {
  local f
  for f in slurmd.pid slurmctld.pid munge/munged.pid; do
    [ -f "$SLURM_DIR/$f" ] && kill "$(cat "$SLURM_DIR/$f")" 2>/dev/null || true
  done
  sleep 0.5
  for f in slurmd.pid slurmctld.pid munge/munged.pid; do
    [ -f "$SLURM_DIR/$f" ] && kill -9 "$(cat "$SLURM_DIR/$f")" 2>/dev/null || true
  done
  return 0
}
