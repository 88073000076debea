# text2code unshare sandbox: runs as root inside fresh mount, pid, net, ipc and uts namespaces
# (unshare --fork makes it pid 1) and builds the file system view bubblewrap would give: a new
# root on a small tmpfs holding only read-only binds of the interpreter and system directories,
# private tmpfs mounts for /tmp, /var/tmp and /dev/shm, a few device nodes, a fresh /proc, and a
# private working directory; then it pivots into that root, drops the old one and becomes the
# unprivileged uid without capabilities. Nothing here is visible to the host (private mounts).
#
# argv: new_root tmpfs_bytes uid ENTRY... -- command...
# ENTRY is three words: "bind HOST SANDBOX" (read-only bind) or "link TARGET SANDBOX" (symlink).
set -eu
sandbox_path=$PATH
PATH=/usr/sbin:/usr/bin:/sbin:/bin
root=$1
size=$2
uid=$3
shift 3

mount --make-rprivate /
mount -t tmpfs -o size=4m,mode=0755,nosuid,nodev t2c-root "$root"

while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
  kind=$1
  source=$2
  target=$root$3
  shift 3
  case $kind in
    bind)
      if [ -d "$source" ]; then
        mkdir -p "$target"
      else
        mkdir -p "$(dirname "$target")"
        : >"$target"
      fi
      mount --bind "$source" "$target"
      mount -o remount,bind,ro,nosuid,nodev "$target"
      ;;
    link)
      mkdir -p "$(dirname "$target")"
      ln -s "$source" "$target"
      ;;
    *)
      echo "sandbox_root.sh: unknown entry kind $kind" >&2
      exit 126
      ;;
  esac
done
shift

for dir in tmp var/tmp dev/shm; do
  mkdir -p "$root/$dir"
  mount -t tmpfs -o "size=$size,mode=1777,nosuid,nodev" t2c-tmp "$root/$dir"
done
for node in null zero full random urandom; do
  : >"$root/dev/$node"
  mount --bind "/dev/$node" "$root/dev/$node"
done
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"
mkdir -p "$root/proc"
mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
mkdir -p "$root/tmp/work"
chown "$uid:$uid" "$root/tmp/work"
chmod 0700 "$root/tmp/work"

mkdir "$root/.old-root"
cd "$root"
pivot_root . .old-root
cd /
umount -l /.old-root
rmdir /.old-root
mount -o remount,bind,ro,nosuid,nodev /
cd /tmp/work
PATH=$sandbox_path
unset OLDPWD
exec setpriv --reuid="$uid" --regid="$uid" --clear-groups --inh-caps=-all --bounding-set=-all \
  --no-new-privs -- "$@"
