/**
 * The gateway's HTTP transport to providers: {@link dev.switchboard.gateway.transport.NettyHttpTransport}, an
 * {@link dev.switchboard.spi.http.HttpTransport} on the gateway's own Netty event loops (a proxied call never changes
 * threads and holds none while it waits; keep-alive pools per event loop and origin), {@link
 * dev.switchboard.gateway.transport.StreamControl}, which pauses an upstream event stream while the client reads
 * slowly, and {@link dev.switchboard.gateway.transport.NettyIo}, the I/O (native epoll or Java NIO) the event loops
 * and their connections use.
 */
package dev.switchboard.gateway.transport;
