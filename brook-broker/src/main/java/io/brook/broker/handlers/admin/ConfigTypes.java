package io.brook.broker.handlers.admin;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/** Maps a ConfigDef type to its DescribeConfigs wire code. Stateless. */
final class ConfigTypes {

    private ConfigTypes() {
    }

    static ConfigType of(ConfigDef.Type type) {
        if (type == null) {
            return ConfigType.UNKNOWN;
        }
        return switch (type) {
            case BOOLEAN -> ConfigType.BOOLEAN;
            case STRING -> ConfigType.STRING;
            case INT -> ConfigType.INT;
            case SHORT -> ConfigType.SHORT;
            case LONG -> ConfigType.LONG;
            case DOUBLE -> ConfigType.DOUBLE;
            case LIST -> ConfigType.LIST;
            case CLASS -> ConfigType.CLASS;
            case PASSWORD -> ConfigType.PASSWORD;
        };
    }
}
