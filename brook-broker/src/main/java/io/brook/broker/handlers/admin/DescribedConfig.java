package io.brook.broker.handlers.admin;

import java.util.List;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * One config as DescribeConfigs (and CreateTopics v5+) report it.
 *
 * @param name config name
 * @param value effective value; null when it has none or is sensitive
 * @param source where the value comes from
 * @param readOnly true when it cannot be altered at runtime
 * @param sensitive true for passwords (value hidden)
 * @param synonyms all candidate values, most specific first
 * @param type the config's type
 * @param documentation its doc string
 */
record DescribedConfig(String name, String value, ConfigSource source, boolean readOnly, boolean sensitive,
        List<Synonym> synonyms, ConfigDef.Type type, String documentation) {

    record Synonym(String name, String value, ConfigSource source) {
    }
}
