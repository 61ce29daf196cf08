#!/usr/bin/env bash
# A longer crash campaign than CI's 50 kills: three `kohybrid serve` writers on one store, a
# read-only server answering searches, writers killed with SIGKILL and restarted at random
# (Tests/KoHybridServerTests/CrashCampaignTests.swift). KILLS=500 by default.
#   Evaluation/serve/crash-campaign.sh            # after `swift build --build-tests`
set -euo pipefail
cd "$(dirname "$0")/../.."
KOHYBRID_CRASH_KILLS=${KILLS:-500} swift test --skip-build --filter CrashCampaignTests 2>&1 | grep -E "crash campaign|passed|failed|Expectation"
