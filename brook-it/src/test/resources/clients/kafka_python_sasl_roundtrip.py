"""kafka-python over SASL_PLAINTEXT with PLAIN: produce N records, then read them back from the beginning.

Usage: kafka_python_sasl_roundtrip.py BOOTSTRAP TOPIC N USER PASSWORD
Prints each value read, in order. Exits non-zero on any error or when fewer than N records came back."""
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

bootstrap, topic, n, user, password = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
sasl = dict(bootstrap_servers=bootstrap, security_protocol='SASL_PLAINTEXT', sasl_mechanism='PLAIN',
            sasl_plain_username=user, sasl_plain_password=password)

producer = KafkaProducer(acks='all', **sasl)
futures = [producer.send(topic, value=('sasl-%d' % i).encode(), partition=0) for i in range(n)]
producer.flush(30)
for f in futures:
    f.get(timeout=30)
producer.close()

consumer = KafkaConsumer(group_id=None, enable_auto_commit=False, auto_offset_reset='earliest',
                         consumer_timeout_ms=10000, **sasl)
partition = TopicPartition(topic, 0)
consumer.assign([partition])
consumer.seek_to_beginning(partition)
read = 0
for message in consumer:
    print(message.value.decode())
    read += 1
    if read >= n:
        break
consumer.close()
sys.exit(0 if read == n else 2)
