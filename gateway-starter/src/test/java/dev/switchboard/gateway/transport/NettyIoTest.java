package dev.switchboard.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NettyIoTest {
    @AfterEach
    void clear() {
        System.clearProperty(NettyIo.PROPERTY);
    }

    @Test
    void autoTakesEpollWhereItLoads() {
        assertThat(NettyIo.fromSystemProperty()).isEqualTo(Epoll.isAvailable() ? NettyIo.EPOLL : NettyIo.NIO);
        assertThat(NettyIo.EPOLL.socketChannel()).isEqualTo(EpollSocketChannel.class);
        assertThat(NettyIo.NIO.socketChannel()).isEqualTo(NioSocketChannel.class);
    }

    @Test
    void nioCanBeChosen() {
        System.setProperty(NettyIo.PROPERTY, " NIO ");
        assertThat(NettyIo.fromSystemProperty()).isEqualTo(NettyIo.NIO);
    }

    @Test
    void anUnknownValueIsNamed() {
        System.setProperty(NettyIo.PROPERTY, "kqueue");
        assertThatThrownBy(NettyIo::fromSystemProperty).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("-Dswitchboard.gateway.io='kqueue'").hasMessageContaining("auto, epoll or nio");
    }
}
