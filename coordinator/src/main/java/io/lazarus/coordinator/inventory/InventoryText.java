package io.lazarus.coordinator.inventory;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** An inventory file's text, or why it cannot be read. */
final class InventoryText {

    private InventoryText() {}

    static String read(Path file) throws InventoryException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InventoryException(List.of(file + ": no such inventory file"));
        } catch (MalformedInputException e) {
            throw new InventoryException(List.of(file + ": not UTF-8 text"));
        } catch (IOException e) {
            throw new InventoryException(List.of(file + ": cannot read: " + e.getMessage()));
        }
    }
}
