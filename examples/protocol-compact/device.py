#!/usr/bin/env python3
"""A device that speaks the compact binary TCP protocol (Python 3, standard library only).

It logs in with a signed LOGIN frame, checks the LOGIN_REPLY, sends REPORT frames with `temp` (float64) and `seq`
(int64), and answers every WRITE frame with a WRITE_REPLY. Every frame travels behind a 2-byte big-endian length
prefix (the platform's tcp-server with framing=length).

    python3 device.py --host 127.0.0.1 --port 9100 --device d1 --secret S --count 10 --interval 0.5

--count 0 reports until Ctrl-C. After the last report the device keeps answering writes for --linger seconds.
Exit status: 0 done, 1 connection lost or protocol error, 2 login refused.
"""

import argparse
import hashlib
import hmac
import random
import socket
import struct
import sys
import threading
import time

LOGIN, REPORT, EVENT, WRITE, WRITE_REPLY, LOGIN_REPLY = 0x01, 0x02, 0x03, 0x10, 0x11, 0x81
TAG_BOOL, TAG_INT32, TAG_INT64, TAG_FLOAT32, TAG_FLOAT64, TAG_STRING = 1, 2, 3, 4, 5, 6
LOGIN_STATUS = {0: "accepted", 1: "bad credentials", 2: "not authorized"}


# ---- encoding -------------------------------------------------------------------------------------------------------

def short_string(text):
    data = text.encode("utf-8")
    if not 1 <= len(data) <= 255:
        raise ValueError("%r must be 1..255 bytes of UTF-8" % text)
    return bytes([len(data)]) + data


def value_bytes(tag, value):
    if tag == TAG_BOOL:
        return bytes([tag, 1 if value else 0])
    if tag == TAG_INT32:
        return bytes([tag]) + struct.pack(">i", value)
    if tag == TAG_INT64:
        return bytes([tag]) + struct.pack(">q", value)
    if tag == TAG_FLOAT32:
        return bytes([tag]) + struct.pack(">f", value)
    if tag == TAG_FLOAT64:
        return bytes([tag]) + struct.pack(">d", value)
    if tag == TAG_STRING:
        data = value.encode("utf-8")
        return bytes([tag]) + struct.pack(">H", len(data)) + data
    raise ValueError("unknown tag %d" % tag)


def login_frame(device, secret, timestamp_ms):
    signature = hmac.new(secret.encode("utf-8"), ("%s|%d" % (device, timestamp_ms)).encode("utf-8"),
                         hashlib.sha256).digest()
    return bytes([LOGIN]) + short_string(device) + struct.pack(">Q", timestamp_ms) + signature


def report_frame(seq, properties):
    """properties: list of (id, tag, value)."""
    body = bytes([REPORT]) + struct.pack(">IB", seq & 0xFFFFFFFF, len(properties))
    for pid, tag, value in properties:
        body += short_string(pid) + value_bytes(tag, value)
    return body


def event_frame(seq, event_id, tag, value):
    return bytes([EVENT]) + struct.pack(">I", seq & 0xFFFFFFFF) + short_string(event_id) + value_bytes(tag, value)


def write_reply_frame(message_id, status):
    return bytes([WRITE_REPLY]) + short_string(message_id) + bytes([status])


# ---- decoding -------------------------------------------------------------------------------------------------------

class Malformed(Exception):
    pass


class Reader:
    def __init__(self, data):
        self.data, self.offset = data, 0

    def take(self, n, what):
        if len(self.data) - self.offset < n:
            raise Malformed("byte offset %d: expected %s (%d bytes), the frame has %d"
                            % (self.offset, what, n, len(self.data)))
        chunk = self.data[self.offset:self.offset + n]
        self.offset += n
        return chunk

    def u8(self, what):
        return self.take(1, what)[0]

    def short_string(self, what):
        return self.take(self.u8("the length of " + what), what).decode("utf-8")

    def value(self, what):
        tag = self.u8("the tag of " + what)
        if tag == TAG_BOOL:
            return self.u8(what) != 0
        if tag == TAG_INT32:
            return struct.unpack(">i", self.take(4, what))[0]
        if tag == TAG_INT64:
            return struct.unpack(">q", self.take(8, what))[0]
        if tag == TAG_FLOAT32:
            return struct.unpack(">f", self.take(4, what))[0]
        if tag == TAG_FLOAT64:
            return struct.unpack(">d", self.take(8, what))[0]
        if tag == TAG_STRING:
            length = struct.unpack(">H", self.take(2, "the length of " + what))[0]
            return self.take(length, what).decode("utf-8")
        raise Malformed("byte offset %d: unknown tag %d of %s" % (self.offset - 1, tag, what))


def decode_write(frame):
    """0x10 [u8 idLen][messageId][u8 count] count x property -> (messageId, {id: value})."""
    r = Reader(frame)
    r.u8("the frame type")
    message_id = r.short_string("the message id")
    props = {}
    for _ in range(r.u8("the property count")):
        pid = r.short_string("a property id")
        props[pid] = r.value("property " + pid)
    if r.offset != len(frame):
        raise Malformed("%d trailing bytes" % (len(frame) - r.offset))
    return message_id, props


# ---- the connection -------------------------------------------------------------------------------------------------

class Connection:
    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.lock = threading.Lock()

    def send(self, frame):
        with self.lock:
            self.sock.sendall(struct.pack(">H", len(frame)) + frame)

    def _exactly(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf

    def receive(self):
        """The next frame without its length prefix, or None when the platform closed the connection."""
        header = self._exactly(2)
        if header is None:
            return None
        return self._exactly(struct.unpack(">H", header)[0])

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def log(text):
    print("%s %s" % (time.strftime("%H:%M:%S"), text), flush=True)


def listen(conn, write_status, closed):
    """Answers WRITE frames until the connection ends."""
    try:
        while True:
            frame = conn.receive()
            if frame is None:
                if not closed.is_set():
                    log("connection closed by the platform")
                break
            if frame and frame[0] == WRITE:
                try:
                    message_id, props = decode_write(frame)
                except (Malformed, UnicodeDecodeError) as e:
                    log("<- malformed WRITE %s: %s" % (frame.hex(), e))
                    continue
                log("<- WRITE %s %s  [%s]" % (message_id, props, frame.hex()))
                reply = write_reply_frame(message_id, write_status)
                conn.send(reply)
                log("-> WRITE_REPLY %s status %d  [%s]" % (message_id, write_status, reply.hex()))
            else:
                log("<- unexpected frame [%s]" % frame.hex())
    except OSError as e:
        if not closed.is_set():
            log("connection lost: %s" % e)
    finally:
        closed.set()


def main():
    p = argparse.ArgumentParser(description="A device speaking the Thingport compact binary TCP protocol.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=9100)
    p.add_argument("--device", required=True, help="device id")
    p.add_argument("--secret", required=True, help="device secret (HMAC key of the login)")
    p.add_argument("--count", type=int, default=10, help="REPORT frames to send (0: until Ctrl-C)")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between reports")
    p.add_argument("--linger", type=float, default=2.0,
                   help="seconds to keep answering WRITE frames after the last report")
    p.add_argument("--write-status", type=int, default=0, choices=range(256), metavar="0..255",
                   help="status of every WRITE_REPLY (0 ok, anything else failed)")
    p.add_argument("--event-every", type=int, default=0, metavar="N",
                   help="also send an EVENT 'overheated' with the temperature every N reports (0: never)")
    args = p.parse_args()

    try:
        conn = Connection(args.host, args.port, timeout=10)
    except OSError as e:
        log("cannot connect to %s:%d: %s" % (args.host, args.port, e))
        return 1

    timestamp = int(time.time() * 1000)
    frame = login_frame(args.device, args.secret, timestamp)
    conn.send(frame)
    log("-> LOGIN %s timestamp %d  [%s]" % (args.device, timestamp, frame.hex()))
    try:
        reply = conn.receive()
    except OSError as e:
        log("no LOGIN_REPLY: %s" % e)
        return 1
    if reply is None:
        log("the platform closed the connection without a LOGIN_REPLY")
        return 1
    if len(reply) != 2 or reply[0] != LOGIN_REPLY:
        log("<- expected a LOGIN_REPLY (81 xx), got [%s]" % reply.hex())
        return 1
    status = reply[1]
    log("<- LOGIN_REPLY %s  [%s]" % (LOGIN_STATUS.get(status, "status %d" % status), reply.hex()))
    if status != 0:
        conn.close()
        return 2

    conn.sock.settimeout(None)
    closed = threading.Event()
    threading.Thread(target=listen, args=(conn, args.write_status, closed), daemon=True).start()

    temp = 21.5
    seq = 0
    interrupted = False
    try:
        while (args.count == 0 or seq < args.count) and not closed.is_set():
            seq += 1
            temp = round(min(60.0, max(-20.0, temp + random.uniform(-0.5, 0.5))), 2)
            frame = report_frame(seq, [("temp", TAG_FLOAT64, temp), ("seq", TAG_INT64, seq)])
            conn.send(frame)
            log("-> REPORT seq %d temp=%s seq=%d  [%s]" % (seq, temp, seq, frame.hex()))
            if args.event_every and seq % args.event_every == 0:
                frame = event_frame(seq, "overheated", TAG_FLOAT64, temp)
                conn.send(frame)
                log("-> EVENT seq %d overheated=%s  [%s]" % (seq, temp, frame.hex()))
            if args.count == 0 or seq < args.count:
                closed.wait(args.interval)
        if not closed.is_set() and args.linger > 0:
            closed.wait(args.linger)
    except KeyboardInterrupt:
        log("interrupted")
        interrupted = True
    except OSError as e:
        log("connection lost: %s" % e)
        closed.set()
        return 1
    lost = closed.is_set()
    closed.set()
    conn.close()
    if interrupted:
        return 130
    if lost:
        return 1
    log("done: %d report(s) sent" % seq)
    return 0


if __name__ == "__main__":
    sys.exit(main())
