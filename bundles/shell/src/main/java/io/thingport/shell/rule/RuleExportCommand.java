package io.thingport.shell.rule;

import io.thingport.api.ThingportException;
import io.thingport.api.rule.RuleService;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.RuleIdCompleter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Command(scope = "iot", name = "rule-export", description = "Prints (or writes to a file) rules as JSON ({\"rules\":[...]}), all of"
        + " them or the ones named",
        detailedDescription = "The console shows a secret action option (password, secret) as ******; the file written with --file"
                + " keeps it, for iot:rule-import.")
@Service
public class RuleExportCommand extends IotCommand {
    @Reference
    RuleService rules;

    @Option(name = "--file", description = "Write to this file instead of printing")
    @Completion(FileCompleter.class)
    String file;

    @Argument(index = 0, name = "ids", description = "Rule ids (omit for all rules)", multiValued = true)
    @Completion(RuleIdCompleter.class)
    List<String> ids;

    @Override
    protected Object run() {
        String json = rules.exportJson(ids == null ? List.of() : ids);
        if (file == null) {
            Rules.Masked masked = Rules.maskedExport(json);
            printText(masked.text());
            if (masked.count() > 0) {
                System.err.println(masked.count() + " secret option(s) shown as " + Rules.MASK + ": export with --file for an"
                        + " importable copy");
            }
            return null;
        }
        try {
            // the export holds the actions' secret options: readable by the platform's user only
            Path path = Path.of(file);
            Files.deleteIfExists(path);
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(path, json + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ThingportException.invalidArgument("cannot write " + file + ": " + e.getMessage());
        }
        println("Rules written to " + Path.of(file).toAbsolutePath());
        return null;
    }
}
