package io.lazarus.benchmark;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * JSch's known hosts, looked up by host in a map. JSch's own repository reads every entry for each connection, which
 * with a fleet's thousands of keys costs the floor's client more than its handshakes; a worker keeps its keys in a map.
 */
final class IndexedHostKeys implements HostKeyRepository {

    private final Map<String, List<String>> keysByHost;

    IndexedHostKeys(HostKeyRepository loaded) {
        this.keysByHost = Stream.of(loaded.getHostKey())
                .collect(Collectors.groupingBy(
                        HostKey::getHost, Collectors.mapping(HostKey::getKey, Collectors.toList())));
    }

    @Override
    public int check(String host, byte[] key) {
        List<String> known = keysByHost.get(host);
        if (known == null) {
            return NOT_INCLUDED;
        }
        return known.contains(Base64.getEncoder().encodeToString(key)) ? OK : CHANGED;
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        throw new UnsupportedOperationException("the floor checks the fleet's keys and learns none");
    }

    @Override
    public void remove(String host, String type) {
        throw new UnsupportedOperationException("the floor checks the fleet's keys and forgets none");
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        remove(host, type);
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return "the fleet's known hosts, in a map";
    }

    @Override
    public HostKey[] getHostKey() {
        return new HostKey[0];
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return new HostKey[0];
    }
}
