#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Replays the fuzzer's checked-in corpus and the reproducers of the bugs it
# found (fixed since): each program must run without a kernel splat or a
# hang. The harness also fails the test on any splat in the kernel log.
dir=$(dirname "$0")/fuzz
exec "$dir/iouf" replay "$dir/corpus" "$dir/repro"
