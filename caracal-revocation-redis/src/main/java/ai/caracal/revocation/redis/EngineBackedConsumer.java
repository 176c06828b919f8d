package ai.caracal.revocation.redis;

import java.time.Duration;

/** The parts of both consumers that only forward to their {@link StreamConsumerEngine}. */
abstract sealed class EngineBackedConsumer implements RevocationStreamConsumer
        permits RedisRevocationConsumer, DelegationInvalidationConsumer {

    private final StreamConsumerEngine engine;

    EngineBackedConsumer(StreamConsumerEngine engine) {
        this.engine = engine;
    }

    @Override
    public String stream() {
        return engine.stream();
    }

    @Override
    public String group() {
        return engine.group();
    }

    @Override
    public String consumerName() {
        return engine.consumerName();
    }

    @Override
    public Duration block() {
        return engine.block();
    }

    @Override
    public void ensureGroup() {
        engine.ensureGroup();
    }

    @Override
    public boolean leaveGroup() {
        return engine.leaveGroup();
    }

    @Override
    public int pollOnce() {
        return engine.pollOnce();
    }

    @Override
    public void close() {
        engine.close();
    }
}
