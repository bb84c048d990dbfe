@echo off
rem lorafab launcher for Windows: runs the fat jar with the arguments given, as ./lorafab does on Linux and macOS.
rem Unlike ./lorafab it does not build the jar: build it once, and again after pulling changes.
rem Plain gotos rather than ( ) blocks, so a path with parentheses (C:\Program Files (x86)\...) cannot end a block.
setlocal
set "HERE=%~dp0"
set "JAR=%HERE%lorafab-app\target\lorafab.jar"

set "JAVA="
if not defined JAVA_HOME goto javaonpath
if not exist "%JAVA_HOME%\bin\java.exe" goto javaonpath
set "JAVA=%JAVA_HOME%\bin\java.exe"
goto havejava
:javaonpath
where java >nul 2>nul
if errorlevel 1 goto nojava
set "JAVA=java"
:havejava

if not exist "%JAR%" goto nojar
"%JAVA%" %LORAFAB_JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%

:nojava
echo lorafab: java 17 or later is neither on the PATH nor in JAVA_HOME 1>&2
exit /b 1

:nojar
echo lorafab: "%JAR%" is missing; build it first, in "%HERE%": mvn -B -q package -DskipTests 1>&2
exit /b 1
