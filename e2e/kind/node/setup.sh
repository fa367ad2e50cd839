#!/bin/sh
# Runs inside the node rootfs (mmdebstrap customize hook): what kind v0.33.0's base Dockerfile
# does after installing packages, and the containerd settings of this machine.
#   setup.sh PAUSE_IMAGE RESTRICT_OOM_SCORE_ADJ
set -eu
pause_image="$1" restrict_oom="$2"
chmod 0755 /kind /kind/bin /kind/bin/* /usr/local/bin/entrypoint /usr/local/bin/clean-install
find /lib/systemd/system/sysinit.target.wants/ -name "systemd-tmpfiles-setup.service" -delete
rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* \
  /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev* \
  /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/*
echo "ReadKMsg=no" >> /etc/systemd/journald.conf
ln -sf /usr/lib/systemd/systemd /sbin/init
systemctl enable kubelet.service containerd.service undo-mount-hacks.service
systemctl mask systemd-binfmt.service
sed -i -e "s#@PAUSE_IMAGE@#$pause_image#" -e "s#@RESTRICT_OOM_SCORE_ADJ@#$restrict_oom#" \
  /etc/containerd/config.toml
if [ "$restrict_oom" = true ]; then
  # Without CAP_SYS_RESOURCE no process may lower an OOM score: containerd's unit asks for -999.
  mkdir -p /etc/systemd/system/containerd.service.d
  printf '[Service]\nOOMScoreAdjust=0\n' > /etc/systemd/system/containerd.service.d/10-oom.conf
fi
rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* /tmp/setup.sh
