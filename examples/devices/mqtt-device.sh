#!/usr/bin/env bash
# A device in a shell: signs its login, reports properties once, then shows every command the platform sends it.
# Usage: examples/devices/mqtt-device.sh <productId> <deviceId> <deviceSecret> [host] [port]
# Needs mosquitto-clients and openssl (Debian: apt-get install mosquitto-clients openssl).
# mosquitto_sub cannot publish, so this device cannot answer commands: iot:device-invoke will report a timeout
# (a real device answers on the same connection; see itests for one written with an MQTT library).
set -euo pipefail
product=$1 device=$2 secret=$3 host=${4:-127.0.0.1} port=${5:-1883}

login() {  # prints "username password" for a fresh timestamp: user name deviceId|epochMillis, HMAC-SHA256 hex
  local user="$device|$(date +%s%3N)"
  printf '%s %s\n' "$user" "$(printf '%s' "$user" | openssl dgst -sha256 -hmac "$secret" | cut -d' ' -f2)"
}

read -r user pass < <(login)
mosquitto_pub -h "$host" -p "$port" -V mqttv311 -i "$device" -u "$user" -P "$pass" -q 1 \
  -t "/$product/$device/properties/report" \
  -m '{"messageId":"r'"$(date +%s)"'","properties":{"temp":21.5,"humidity":40}}'
echo "reported temp=21.5 humidity=40"

sleep 0.01  # the next login needs a newer timestamp
read -r user pass < <(login)
exec mosquitto_sub -h "$host" -p "$port" -V mqttv311 -i "$device" -u "$user" -P "$pass" -q 1 \
  -t "/$product/$device/#" -v
