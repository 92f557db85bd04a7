package io.damoov.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.damoov.gateway.core.GatewayException;
import io.damoov.gateway.core.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

class BodyReaderTest {

    private static final GatewayException OVER = new GatewayException(ProblemType.BAD_GATEWAY, "too-large", "over");

    @Test
    void shouldTakeABodyOfOneChunkAsItIs() {
        Buffer chunk = Buffer.buffer("{\"a\":1}");

        Future<Buffer> body = BodyReader.read(new Chunks(List.of(chunk)), 100, () -> OVER);

        assertThat(body.result()).isSameAs(chunk);
    }

    @Test
    void shouldJoinChunksWithoutChangingTheFirst() {
        Buffer first = Buffer.buffer("{\"a\":");
        Future<Buffer> body = BodyReader.read(new Chunks(List.of(first, Buffer.buffer("12"), Buffer.buffer("3}"))),
                100, () -> OVER);

        assertThat(body.result().toString()).isEqualTo("{\"a\":123}");
        assertThat(first.toString()).isEqualTo("{\"a\":");
    }

    @Test
    void shouldFailBeyondTheLimitAndTakeNothingForNoBody() {
        Future<Buffer> over = BodyReader.read(new Chunks(List.of(Buffer.buffer("12345"), Buffer.buffer("678"))), 7,
                () -> OVER);
        Future<Buffer> empty = BodyReader.read(new Chunks(List.of()), 7, () -> OVER);

        assertThat(over.cause()).isSameAs(OVER);
        assertThat(empty.result().length()).isZero();
    }

    /** A stream that hands over its chunks, then ends, when resumed. */
    private static final class Chunks implements ReadStream<Buffer> {

        private final List<Buffer> chunks;
        private Handler<Buffer> handler;
        private Handler<Void> end;

        Chunks(List<Buffer> chunks) {
            this.chunks = chunks;
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            this.handler = handler;
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            chunks.forEach(handler::handle);
            end.handle(null);
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
            this.end = endHandler;
            return this;
        }
    }
}
