#!/bin/sh
# lab-ready: the engine's readiness command (see images/lab-base/lab-ready.sh). A VM node is ready once the
# launcher has reached the guest's agent and copied the node names into it (vm-launcher writes /run/vm/ready).
# VM disks therefore need the agent (lab-agent on the second serial port, as images/vm-disk-tiny has).
[ -e /run/vm/ready ]
