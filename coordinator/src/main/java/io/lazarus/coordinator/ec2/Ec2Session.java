package io.lazarus.coordinator.ec2;

import software.amazon.awssdk.services.ec2.Ec2Client;

/** One command's EC2 client, with the region it talks to and the throttling it met. */
public record Ec2Session(Ec2Client client, String region, ThrottleCounter throttles, Ec2Properties settings)
        implements AutoCloseable {

    @Override
    public void close() {
        client.close();
    }
}
