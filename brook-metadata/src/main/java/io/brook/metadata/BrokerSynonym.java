package io.brook.metadata;

import java.util.concurrent.TimeUnit;

/**
 * A broker config that supplies the default of a topic config, e.g. {@code log.roll.hours} for {@code segment.ms}.
 * Some are in a coarser unit than the topic config; {@link #toTopicValue} converts.
 *
 * @param name the broker config name
 * @param unit the broker config's time unit when the topic config is in milliseconds and the broker's is not; null
 *            when the value carries over unchanged
 */
public record BrokerSynonym(String name, TimeUnit unit) {

    static BrokerSynonym same(String name) {
        return new BrokerSynonym(name, null);
    }

    static BrokerSynonym inUnit(String name, TimeUnit unit) {
        return new BrokerSynonym(name, unit);
    }

    /** The broker value expressed as a value of the topic config. */
    public String toTopicValue(String brokerValue) {
        if (unit == null || brokerValue == null) {
            return brokerValue;
        }
        return Long.toString(unit.toMillis(Long.parseLong(brokerValue.trim())));
    }
}
