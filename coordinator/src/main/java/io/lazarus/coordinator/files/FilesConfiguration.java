package io.lazarus.coordinator.files;

import io.lazarus.common.files.ContentStore;
import io.lazarus.common.files.DirectoryContentStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class FilesConfiguration {

    @Bean
    ContentStore contentStore(FilesProperties properties) {
        return new DirectoryContentStore(properties.root());
    }
}
