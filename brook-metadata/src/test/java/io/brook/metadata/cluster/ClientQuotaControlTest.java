package io.brook.metadata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.brook.metadata.ClientQuotaEntity;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.cluster.MetadataCommand.QuotaAlteration;
import io.brook.metadata.cluster.MetadataCommand.QuotaOp;

class ClientQuotaControlTest {

    private static final ClientQuotaEntity ALICE = ClientQuotaEntity.of(ClientQuotaEntity.USER, "alice");
    private static final ClientQuotaEntity DEFAULT_CLIENT = ClientQuotaEntity.of(ClientQuotaEntity.CLIENT_ID, null);
    private static final ClientQuotaEntity ALICE_DEFAULT_CLIENT = ClientQuotaEntity.userAndClient("alice", null);

    @Test
    void shouldSetMergeAndRemoveQuotasWhenAltered() {
        MetadataImage image = apply(MetadataImage.EMPTY, alter(ALICE, set("producer_byte_rate", 1024.0)),
                alter(DEFAULT_CLIENT, set("request_percentage", 12.5)));
        image = apply(image, alter(ALICE, set("consumer_byte_rate", 2048.0)));

        assertThat(image.clientQuotas()).containsEntry(ALICE,
                Map.of("producer_byte_rate", 1024.0, "consumer_byte_rate", 2048.0));
        assertThat(image.clientQuotas()).containsEntry(DEFAULT_CLIENT, Map.of("request_percentage", 12.5));

        image = apply(image, alter(ALICE, set("producer_byte_rate", null), set("consumer_byte_rate", null)));

        assertThat(image.clientQuotas()).containsOnlyKeys(DEFAULT_CLIENT);
    }

    @Test
    void shouldSkipInvalidAlterationsWhenApplied() {
        MetadataImage image = apply(MetadataImage.EMPTY, alter(ALICE, set("bogus", 1.0)),
                alter(ALICE_DEFAULT_CLIENT, set("producer_byte_rate", 10.0)));

        assertThat(image.clientQuotas()).containsOnlyKeys(ALICE_DEFAULT_CLIENT);
    }

    @Test
    void shouldRefuseWhatKafkaRefuses() {
        assertThat(ClientQuotaControl.validate(new ClientQuotaEntity(Map.of()), List.of()))
                .contains("empty client quota entity");
        assertThat(ClientQuotaControl.validate(ClientQuotaEntity.of("group", "g"), List.of()))
                .contains("Unhandled client quota entity type");
        assertThat(ClientQuotaControl.validate(ALICE, List.of(set("bogus", 1.0)))).contains("bogus");
        assertThat(ClientQuotaControl.validate(ALICE, List.of(set("producer_byte_rate", -1.0))))
                .contains("negative");
        assertThat(ClientQuotaControl.validate(ALICE, List.of(set("producer_byte_rate", 1.5))))
                .contains("must be a Long value");
        assertThat(ClientQuotaControl.validate(ALICE, List.of(set("connection_creation_rate", 1.0))))
                .contains("connection_creation_rate");
        assertThat(ClientQuotaControl.validate(ClientQuotaEntity.of("ip", "10.0.0.300"), List.of()))
                .contains("not a valid IP");
        assertThat(ClientQuotaControl.validate(ClientQuotaEntity.of("user", ""), List.of())).contains("Empty user");
        assertThat(ClientQuotaControl.validate(ClientQuotaEntity.of("ip", "::1"),
                List.of(set("connection_creation_rate", 5.0)))).isNull();
        assertThat(ClientQuotaControl.validate(ALICE, List.of(set("request_percentage", 0.5)))).isNull();
    }

    @Test
    void shouldKeepQuotasThroughCodecAndSnapshot() {
        MetadataCommand command = new MetadataCommand.AlterClientQuotas(
                List.of(alter(ALICE_DEFAULT_CLIENT, set("producer_byte_rate", 1024.0), set("request_percentage", null))
                        .alterations().get(0)));
        assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(command))).isEqualTo(command);
        MetadataImage image = apply(MetadataImage.EMPTY, command,
                alter(DEFAULT_CLIENT, set("consumer_byte_rate", 5.0)));

        ImageSnapshot.Contents contents = ImageSnapshot.decode(ImageSnapshot.encode(image, 7));

        assertThat(contents.image().clientQuotas()).isEqualTo(image.clientQuotas());
        assertThat(ImageSnapshot.encode(contents.image(), 7)).isEqualTo(ImageSnapshot.encode(image, 7));
    }

    private static QuotaOp set(String key, Double value) {
        return new QuotaOp(key, value);
    }

    private static MetadataCommand.AlterClientQuotas alter(ClientQuotaEntity entity, QuotaOp... ops) {
        return new MetadataCommand.AlterClientQuotas(List.of(new QuotaAlteration(entity, Arrays.asList(ops))));
    }

    private static MetadataImage apply(MetadataImage image, MetadataCommand... commands) {
        for (MetadataCommand command : commands) {
            image = MetadataCommandApplier.apply(image, 1, command).image();
        }
        return image;
    }
}
