"""An independent WebSocket server and client (the Python `websockets` library) on either side of
the gateway. Prints `PORT <n>` once its echo server listens, reads the gateway's port from stdin,
then runs the client checks and prints one `OK <check>` line per check that held (or `FAIL ...`).

Server: echoes every message; a text `close:CODE:REASON` makes it close with that code and
reason; it prints `SERVER-CLOSE <code> <reason>` for every close a client sent it.
"""
import asyncio
import hashlib
import os
import sys

import websockets


async def echo(socket):
    try:
        async for message in socket:
            if isinstance(message, str) and message.startswith("close:"):
                _, code, reason = message.split(":", 2)
                await socket.close(int(code), reason)
                return
            await socket.send(message)
    except websockets.ConnectionClosed:
        pass
    finally:
        if socket.close_code is not None and socket.close_rcvd is not None:
            print("SERVER-CLOSE", socket.close_rcvd.code, socket.close_rcvd.reason, flush=True)


async def main():
    server = await websockets.serve(echo, "127.0.0.1", 0, subprotocols=["chat.v2"], max_size=None)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    gateway = int(sys.stdin.readline())
    url = "ws://127.0.0.1:%d/py" % gateway

    async with websockets.connect(url, max_size=None, compression=None) as socket:
        for size in (65537, 1024 * 1024, 16 * 1024 * 1024):
            data = os.urandom(size)
            await socket.send(data)
            back = await socket.recv()
            check("frame %d" % size, hashlib.sha256(back).digest() == hashlib.sha256(data).digest())

    async with websockets.connect(url, subprotocols=["chat.v3", "chat.v2"]) as socket:
        extensions = socket.response_headers.get("Sec-WebSocket-Extensions", "")
        check("subprotocol", socket.subprotocol == "chat.v2")
        check("permessage-deflate", extensions.startswith("permessage-deflate"))
        text = "compressible " * 10000
        await socket.send(text)
        check("deflated echo", await socket.recv() == text)

    for code in (1000, 1001, 1011, 4001):
        async with websockets.connect(url) as socket:
            await socket.send("close:%d:server says %d" % (code, code))
            try:
                await socket.recv()
            except websockets.ConnectionClosed as closed:
                check("server close %d" % code, closed.rcvd.code == code and closed.rcvd.reason == "server says %d" % code)
        socket = await websockets.connect(url)
        await socket.close(code, "client says %d" % code)

    await asyncio.sleep(0.5)  # the server prints the closes it received
    server.close()
    await server.wait_closed()


def check(name, held):
    print(("OK " if held else "FAIL ") + name, flush=True)


asyncio.run(main())
